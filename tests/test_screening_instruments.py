"""Screening instruments are data: PHQ-9, GAD-7 and MHT score as published (issue 18)."""
import pytest

from webapp.screening import instruments

PHQ9 = instruments.get("phq9")
GAD7 = instruments.get("gad7")
MHT = instruments.get("mht")


def test_phq9_and_gad7_are_the_standard_chinese_versions():
    assert len(PHQ9.items) == 9 and len(GAD7.items) == 7
    assert [o["label"] for o in PHQ9.options] == ["完全不会", "好几天", "一半以上的天数", "几乎每天"]
    assert [o["score"] for o in GAD7.options] == [0, 1, 2, 3]
    assert "伤害自己" in PHQ9.items[8]["text"]
    assert PHQ9.critical_items == (8,) and GAD7.critical_items == ()
    assert not MHT.administered and [s["name"] for s in MHT.subscales] == [
        "学习焦虑", "对人焦虑", "孤独倾向", "自责倾向", "过敏倾向", "身体症状", "恐怖倾向", "冲动倾向"]


@pytest.mark.parametrize(("total", "band", "level"), [
    (0, "没有抑郁症状", "general"), (4, "没有抑郁症状", "general"), (5, "轻度", "general"),
    (9, "轻度", "general"), (10, "中度", "attention"), (14, "中度", "attention"), (15, "中重度", "key"),
    (19, "中重度", "key"), (20, "重度", "high"), (27, "重度", "high"),
])
def test_phq9_bands_and_levels_at_each_boundary(total, band, level):
    assert PHQ9.band(total) == band
    assert instruments.level_for(PHQ9, total) == level


@pytest.mark.parametrize(("total", "band", "level"), [
    (0, "没有焦虑症状", "general"), (4, "没有焦虑症状", "general"), (5, "轻度", "general"),
    (9, "轻度", "general"), (10, "中度", "attention"), (14, "中度", "attention"), (15, "重度", "key"),
    (21, "重度", "key"),
])
def test_gad7_bands_and_levels_at_each_boundary(total, band, level):
    assert GAD7.band(total) == band
    assert instruments.level_for(GAD7, total) == level


def test_answers_score_from_zero_to_the_maximum_and_item_9_is_critical():
    assert instruments.score_answers(PHQ9, [0] * 9) == (0, False)
    assert instruments.score_answers(PHQ9, [3] * 9) == (27, True)
    assert instruments.score_answers(GAD7, [3] * 7) == (21, False)
    # A low total with "好几天" on item 9 still needs same-day contact.
    assert instruments.score_answers(PHQ9, [0] * 8 + [1]) == (1, True)
    assert instruments.score_answers(PHQ9, [1] * 8 + [0]) == (8, False)
    with pytest.raises(ValueError):
        instruments.score_answers(PHQ9, [0] * 8)
    with pytest.raises(ValueError):
        instruments.score_answers(GAD7, [0] * 6 + [4])


def test_mht_total_and_subscales_map_to_levels():
    quiet = dict.fromkeys(("study", "social", "lonely", "blame", "sensitive", "body", "fear", "impulse"), 5)
    assert instruments.level_for(MHT, 40, quiet) == "general"
    assert instruments.level_for(MHT, 55, quiet) == "general"
    assert instruments.level_for(MHT, 56, quiet) == "attention"
    assert instruments.level_for(MHT, 64, quiet) == "attention"
    assert instruments.level_for(MHT, 65, quiet) == "key"
    assert instruments.level_for(MHT, 90, quiet) == "key"
    assert instruments.level_for(MHT, 40, {**quiet, "lonely": 8}) == "attention"
    assert instruments.level_for(MHT, 40, {**quiet, "lonely": 7}) == "general"
    assert instruments.check_scores(MHT, 41, quiet) == "subscale_sum"
    assert instruments.check_scores(MHT, 45, {**quiet, "study": 10}) is None
    assert instruments.check_scores(MHT, 91, {}) == "total_range"
    assert instruments.check_scores(MHT, 20, {"social": 11}) == "subscale_range"


def test_the_countys_thresholds_replace_the_defaults():
    settings = {"phq9.attention": 5, "mht.sub.attention": 9}
    assert instruments.level_for(PHQ9, 5, settings=settings) == "attention"
    assert instruments.level_for(MHT, 40, {"lonely": 8}, settings) == "general"
    assert set(instruments.default_settings()) == {
        "phq9.attention", "phq9.key", "phq9.high", "gad7.attention", "gad7.key", "mht.attention", "mht.key",
        "mht.sub.attention"}


def test_an_english_reader_gets_the_original_wording_with_the_same_scoring():
    english = instruments.get("phq9", "en")
    assert "hurting yourself" in english.items[8]["text"] and english.critical_items == (8,)
    assert [o["label"] for o in english.options][1] == "Several days"
    assert [o["score"] for o in english.options] == [o["score"] for o in PHQ9.options]
    assert english.band(12) == "Moderate" and PHQ9.band(12) == "中度"
    assert [s["name"] for s in instruments.get("mht", "en").subscales][0] == "Learning anxiety"
    assert instruments.get("mht", "en").subscales[0]["max"] == 15
