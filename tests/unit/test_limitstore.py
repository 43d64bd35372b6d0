"""The host-shared rate-limit counters: what Flask-Limiter reads back right after a hit."""
from jobboard.limitstore import SqliteStorage


def test_a_count_read_back_right_after_a_hit_is_that_hit_and_a_new_key_reads_the_file(
        tmp_path):
    store = SqliteStorage(f"sqlite:///{tmp_path / 'limits.sqlite3'}")
    other = SqliteStorage(f"sqlite:///{tmp_path / 'limits.sqlite3'}")  # another process
    assert store.incr("search/1.2.3.4", 60) == 1
    assert other.incr("search/1.2.3.4", 60) == 2
    assert store.incr("search/1.2.3.4", 60) == 3  # counted in the shared file
    assert store.get("search/1.2.3.4") == 3 and store.get_expiry("search/1.2.3.4") > 0
    assert store.get("search/5.6.7.8") == 0  # another key is read from the file
    # Right after its own hit a thread answers from it (the headers of that response); the
    # decision to refuse is always the increment's own, fresh, value.
    assert other.get("search/1.2.3.4") == 2
    store.clear("search/1.2.3.4")
    assert store.get("search/1.2.3.4") == 0  # a cleared counter is not answered from memory
