from app.accounts.services import holders
from tests.competitions.factories import make_contest


def test_holders_of_a_capability_for_a_record(make_user):
    contest, other = make_contest(), make_contest()
    everywhere = make_user("judge", full_name="Trần Văn Bình")
    mine = make_user("judge", full_name="Nguyễn Thị An", scope=("contest", contest.id))
    make_user("judge", full_name="Lê Văn Cường", scope=("contest", other.id))
    make_user("judge", full_name="Phạm Văn Dũng", active=False)
    make_user("organizer", full_name="Đỗ Văn Em")
    by_org = make_user("judge", full_name="Võ Văn Giang", scope=("organisation", contest.organisation_id))
    assert holders("judge", contest) == [mine, everywhere, by_org]
    assert len(holders("judge")) == 4
