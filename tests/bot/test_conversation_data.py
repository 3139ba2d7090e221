"""The typed step data reads what earlier releases stored in Conversation.data and writes it back compactly."""

from pencet.bot.conversation import ConvData, MediaInfo, State


def test_data_stored_by_the_previous_release_mid_intake_is_read_as_it_was_meant():
    stored = {
        "mode": "intake",
        "slots": [[3], [4, 5]],
        "slot": 1,
        "pages": 2,
        "req": 5,
        "options": [["done", "Sudah semua"], ["more", "Tambah halaman"]],
        "pending": [
            {
                "storage_name": "whatsapp/2026/11/a.jpg",
                "content_type": "image/jpeg",
                "size": 81234,
                "sha256": "b" * 64,
                "quality": {"problems": ["dark"]},
                "wamid": "wamid.X",
            }
        ],
        "cancel_return": "collect",
        "something_old": "dropped",
    }
    data = ConvData.from_dict(stored)
    assert (data.mode, data.slots, data.slot, data.pages, data.req) == ("intake", [[3], [4, 5]], 1, 2, 5)
    assert data.options == [["done", "Sudah semua"], ["more", "Tambah halaman"]]
    assert data.pending[0].storage_name == "whatsapp/2026/11/a.jpg"
    assert data.pending[0].original_name == ""
    assert data.pending[0].problems == ["dark"]
    assert State.parse(data.cancel_return) == State.COLLECT
    written = data.to_dict()
    assert "something_old" not in written and "flagged" not in written
    assert written["pending"][0]["wamid"] == "wamid.X"


def test_empty_or_broken_data_means_a_fresh_start():
    assert ConvData.from_dict({}) == ConvData()
    assert ConvData.from_dict(None) == ConvData()
    assert ConvData().to_dict() == {}
    assert ConvData(pending=[MediaInfo("f", "image/png", 1, "c" * 64)]).to_dict() == {
        "pending": [
            {
                "storage_name": "f",
                "content_type": "image/png",
                "size": 1,
                "sha256": "c" * 64,
                "original_name": "",
                "quality": {},
                "wamid": "",
            }
        ]
    }


def test_an_unknown_stored_state_is_the_menu():
    assert State.parse("handled_by_a_removed_step") == State.MENU
    assert State.parse("nik_confirm") == State.NIK_CONFIRM
