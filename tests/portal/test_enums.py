"""Labelled enumerations: each class keeps its own labels, even for values another class shares."""

from __future__ import annotations

from portal.enums import LabelledEnum, set_labels


class Door(LabelledEnum):
    OPEN = "open"
    SHUT = "shut"


class Shop(LabelledEnum):
    OPEN = "open"


set_labels({Door: {Door.OPEN: "Door open"}, Shop: {Shop.OPEN: "Open for business"}})


def test_same_value_in_two_classes_keeps_two_labels():
    assert Door.OPEN == Shop.OPEN  # string enums with one value compare equal...
    assert (Door.OPEN.label, Shop.OPEN.label) == ("Door open", "Open for business")  # ...labels do not mix


def test_unlabelled_member_shows_its_value_and_choices_list_every_member():
    assert Door.SHUT.label == "shut"
    assert Door.choices() == [("open", "Door open"), ("shut", "shut")]


def test_a_stored_code_is_shown_by_its_label():
    import casemgmt.models  # noqa: F401  (its enumerations)
    import portal.meetings.enums  # noqa: F401
    from portal.enums import label_for

    assert label_for("Channel", "SIENA") == "SIENA (Europol)"
    assert label_for("CaseStatus", "cross_checked") == "Cross-checked"
    assert label_for("ActionStatus", "in_progress") == "In progress"
    assert label_for("MessageType", "own_initiative") == "Own-initiative information"
    assert label_for("Channel", "") == "" and label_for("NoSuchEnum", "some_code") == "some code"
