"""Egenerklæringer in the admin: staff who define them add and change a questionnaire with its
questions inline; the save goes through the service, so a version in use becomes a new one."""

import pytest

from health.models import Questionnaire
from health.services import (
    declaration_answer,
    declaration_send,
    questionnaire_drafts,
    questionnaire_save,
)
from tests.permissions.helpers import form_data

from .conftest import MARKER, question

pytestmark = pytest.mark.usefixtures("norwegian")

ADD = "/health/questionnaire/add/"


def change_url(questionnaire) -> str:
    return f"/health/questionnaire/{questionnaire.pk}/change/"


def row_of(data: dict, question) -> str:
    """The inline row's prefix ("questions-2") of a question in the form's data."""
    return next(
        key.removesuffix("-id")
        for key, value in data.items()
        if key.endswith("-id") and value == str(question.pk)
    )


def new_form(login, cast, **fields) -> dict:
    client = login(cast.health)
    data = form_data(client.get(ADD))
    data.update(
        {
            "name": "Hørselskontroll",
            "product_groups": [str(cast.product_group.pk)],
            "questions-0-order": "1",
            "questions-0-text": "Har du tinnitus?",
            "questions-0-kind": "yes_no",
            **fields,
        }
    )
    return data


def test_health_personnel_add_a_questionnaire_with_its_questions(login, cast, client):
    response = client.post(ADD, new_form(login, cast))

    assert response.status_code == 302
    made = Questionnaire.objects.get(name="Hørselskontroll")
    assert (made.version, made.created_by) == (1, cast.health)
    assert list(made.product_groups.all()) == [cast.product_group]
    assert [q.text for q in made.questions.all()] == ["Har du tinnitus?"]


def test_a_faulty_question_is_said_on_the_form_and_nothing_is_saved(login, cast, client):
    data = new_form(
        login, cast, **{"questions-0-kind": "one_of", "questions-0-choices": "Bare ett valg"}
    )

    response = client.post(ADD, data)

    assert response.status_code == 200
    assert "Spørsmål 1: gi minst to valg, ett per linje." in response.content.decode()
    assert not Questionnaire.objects.filter(name="Hørselskontroll").exists()


def test_a_follow_up_is_chosen_among_the_questions_and_shown_on_an_answer(
    login, cast, client, questionnaire
):
    client = login(cast.health)
    data = form_data(client.get(change_url(questionnaire)))
    illness = question(questionnaire, 3)
    row = row_of(data, illness)
    data[f"{row}-parent"] = str(question(questionnaire, 1).pk)
    data[f"{row}-shown_on"] = "nei"

    response = client.post(change_url(questionnaire), data)

    assert response.status_code == 302
    illness.refresh_from_db()
    assert (illness.parent, illness.shown_on) == (question(questionnaire, 1), "no")
    assert Questionnaire.objects.count() == 1  # not in use: changed in place


def test_changing_a_questionnaire_in_use_saves_a_new_version(
    login, cast, client, questionnaire, booking
):
    # given a declaration answered on version 1
    sent = declaration_send(booking=booking)
    declaration_answer(
        answer_set=sent,
        answers={
            str(question(questionnaire, 1).pk): "no",
            str(question(questionnaire, 3).pk): MARKER,
        },
        submit=True,
    )
    client = login(cast.health)
    data = form_data(client.get(change_url(questionnaire)))
    row = row_of(data, question(questionnaire, 1))
    data[f"{row}-text"] = "Røyker eller snuser du?"

    # when health personnel save a change
    response = client.post(change_url(questionnaire), data, follow=True)

    # then it is version 2; version 1 is kept, read only, for the answer given on it
    new = Questionnaire.objects.get(version=2)
    assert new.replaces == questionnaire
    assert question(new, 1).text == "Røyker eller snuser du?"
    assert question(questionnaire, 1).text == "Røyker du?"
    page = response.content.decode()
    assert "er versjon 2" in page
    assert MARKER not in page
    old_page = client.get(change_url(questionnaire))
    assert old_page.status_code == 200
    assert 'name="_save"' not in old_page.content.decode()


def test_the_list_shows_the_versions_and_no_answer(login, cast, questionnaire, booking):
    sent = declaration_send(booking=booking)
    declaration_answer(
        answer_set=sent,
        answers={
            str(question(questionnaire, 1).pk): "no",
            str(question(questionnaire, 3).pk): MARKER,
        },
    )

    page = login(cast.kam).get("/health/questionnaire/").content.decode()

    assert "Helsekontroll" in page
    assert MARKER not in page


def test_a_save_of_a_version_replaced_meanwhile_opens_the_newest(
    login, cast, client, questionnaire, booking
):
    # given health personnel opened version 1, and meanwhile it was replaced by version 2
    client = login(cast.health)
    data = form_data(client.get(change_url(questionnaire)))
    declaration_send(booking=booking)
    newest = questionnaire_save(
        actor=cast.kam,
        questionnaire=questionnaire,
        name="Helsekontroll",
        product_groups=[cast.product_group],
        questions=questionnaire_drafts(questionnaire),
    )

    # when they save their form of version 1
    response = client.post(change_url(questionnaire), data, follow=True)

    # then nothing is saved, and they are on version 2 with the reason
    assert response.redirect_chain[-1][0] == change_url(newest)
    assert "ble erstattet av versjon 2" in response.content.decode()
    assert Questionnaire.objects.count() == 2
