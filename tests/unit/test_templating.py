from jobboard.templating import breaks_after_slash


def test_a_label_may_wrap_after_a_slash_and_stays_escaped():
    assert breaks_after_slash("Hematology/oncology") == "Hematology/<wbr>oncology"
    assert breaks_after_slash("Cardiology") == "Cardiology"
    assert breaks_after_slash("<i>A/B") == "&lt;i&gt;A/<wbr>B"
