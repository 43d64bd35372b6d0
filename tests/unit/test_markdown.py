from jobboard.markdown import render_markdown


def test_markdown_is_rendered():
    html = render_markdown("**Remote** role\n\n- CPC required\n- 2 years")
    assert "<strong>Remote</strong>" in html
    assert "<li>CPC required</li>" in html


def test_scripts_and_raw_html_never_reach_the_page():
    html = render_markdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html  # shown as the text the employer typed


def test_links_are_kept_but_javascript_urls_are_not():
    html = render_markdown("[benefits](https://example.org) [x](javascript:alert(1))")
    assert 'href="https://example.org"' in html
    assert 'href="javascript' not in html
    assert 'rel="nofollow noopener"' in html
