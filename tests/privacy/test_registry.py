"""The personal-data registry (ukmlearn/privacy/registry.py) must know every model that holds
data about a person; a new model with a user link or a personal-looking field fails here
until it says what export and erasure do with it."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from ukmlearn.privacy.registry import BLANK, CUSTOM, DELETE, KEEP, NOT_PERSONAL, REGISTRY

# Field names that usually hold something about a person.
PERSONAL_LOOKING = {
    "name",
    "phone",
    "email",
    "address",
    "city",
    "text",
    "notes",
    "private_notes",
    "summary",
    "answers",
    "feedback",
    "business_name",
    "rating_comment",
    "reasons",
    "link",
    "image",
    "thumbnail",
    "png",
    "pdf",
    "file",
    "ip",
    "birth_year",
    "gender",
}


def _links_user(model) -> bool:
    user = get_user_model()
    return any(
        field.is_relation
        and field.related_model is user
        and (field.concrete or (field.many_to_many and not field.auto_created))
        for field in model._meta.get_fields()
    )


def _child_of_owner(model) -> bool:
    owners = {entry.model for entry in REGISTRY if entry.owns_children}
    return any(
        field.is_relation and field.many_to_one and field.related_model._meta.label in owners
        for field in model._meta.concrete_fields
    )


def test_every_model_linked_to_a_person_is_in_the_registry():
    registered = {entry.model for entry in REGISTRY}
    missing = [
        model._meta.label
        for model in apps.get_models()
        if (_links_user(model) or _child_of_owner(model)) and model._meta.label not in registered
    ]
    assert not missing, f"add these to ukmlearn/privacy/registry.py: {missing}"


def test_every_model_with_personal_looking_fields_is_registered_or_explained():
    registered = {entry.model for entry in REGISTRY}
    unexplained = [
        (model._meta.label, sorted(names))
        for model in apps.get_models()
        if (names := {f.name for f in model._meta.concrete_fields} & PERSONAL_LOOKING)
        and model._meta.label not in registered
        and model._meta.label not in NOT_PERSONAL
    ]
    assert not unexplained, f"register or explain in NOT_PERSONAL: {unexplained}"


@pytest.mark.parametrize("entry", REGISTRY, ids=lambda e: f"{e.model}:{e.path}")
def test_each_entry_names_a_real_model_a_working_path_and_a_known_rule(entry):
    assert entry.erase in {DELETE, BLANK, KEEP, CUSTOM}
    assert entry.why
    model = apps.get_model(entry.model)
    # The path compiles to SQL (a typo raises FieldError here, not during someone's erasure).
    str(model._default_manager.filter(**{entry.path: 1}).query)
    fields = {f.name for f in model._meta.concrete_fields}
    assert set(entry.blank) <= fields
    assert set(entry.not_exported) <= fields
    if entry.erase == BLANK:
        assert entry.blank, "BLANK needs the fields to empty"
