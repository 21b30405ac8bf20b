"""The plan in the project's JSON export and import: a lossless round trip, quotes that still
link to their logboek entry, and bad plan data refused with its place."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from plannen.models import Citaat, HoofdstukTekst, Plan, PlanVersie
from projects.exchange import project_export, project_import
from projects.models import EntryKind, LogboekEntry

from .test_plan_pages import write_and_freeze

pytestmark = pytest.mark.django_db


def test_the_plan_comes_back_whole_with_working_quotes(plan_data):
    write_and_freeze(plan_data)
    before = json.loads(json.dumps(project_export(plan_data.team.project)))
    plan = before["project"]["plan"]
    assert [c["title"] for c in plan["chapters"]] == ["Het gebied"]
    assert "(logboek:0)" in plan["chapters"][0]["text"]  # the besluit is the first logboek entry
    assert plan["chapters"][0]["quotes"][0]["logboek"] == 0
    assert [v["kind"] for v in plan["versions"]] == ["inspraak", "vastgesteld"]

    imported = project_import(data=before, by=plan_data.team.programmamanager)

    assert imported.pk != plan_data.team.project.pk
    # The members differ (the importer leads the import); the plan comes back as it was.
    assert project_export(imported)["project"]["plan"] == plan
    tekst = HoofdstukTekst.objects.get(plan__project=imported)
    entry = imported.logboek_entries.get()
    assert f"(/projecten/{imported.pk}/logboek/#regel-{entry.pk})" in tekst.text
    assert Citaat.objects.get(tekst=tekst).entry == entry
    versie = PlanVersie.objects.filter(plan__project=imported).order_by("frozen_at").first()
    assert f"#regel-{entry.pk})" in versie.chapters[0]["text"]
    assert versie.frozen_by == plan_data.team.leider
    assert tekst.version == 3 and tekst.updated_by == plan_data.team.teamlid


def test_a_project_without_a_plan_exports_none_and_imports_without_one(plan_data):
    data = json.loads(json.dumps(project_export(plan_data.team.project)))
    assert data["project"]["plan"] is None
    imported = project_import(data=data, by=plan_data.team.programmamanager)
    assert not Plan.objects.filter(project=imported).exists()


def test_bad_plan_data_is_refused_with_its_place_and_writes_nothing(plan_data):
    write_and_freeze(plan_data)
    data = json.loads(json.dumps(project_export(plan_data.team.project)))
    data["project"]["plan"]["chapters"][0]["title"] = "Een hoofdstuk dat hier niet bestaat"
    data["project"]["plan"]["versions"][0]["kind"] = "verzonnen"
    projects_before = Plan.objects.count()
    with pytest.raises(ValidationError) as refusal:
        project_import(data=data, by=plan_data.team.programmamanager)
    problems = " ".join(refusal.value.messages)
    assert "Een hoofdstuk dat hier niet bestaat" in problems
    assert "versie 1: 'kind' moet inspraak of vastgesteld zijn." in problems
    assert Plan.objects.count() == projects_before


@pytest.mark.parametrize("entries", [1, 40])
def test_the_export_of_a_plan_makes_a_fixed_number_of_queries(plan_data, entries, django_assert_max_num_queries):
    write_and_freeze(plan_data)
    for i in range(entries):
        LogboekEntry.objects.create(project=plan_data.team.project, kind=EntryKind.BESLUIT, title=f"Besluit {i}")
    client = plan_data.team.client_for(plan_data.team.leider)
    client.get(reverse("plannen:overview", args=[plan_data.team.project.pk]))  # shows the last message
    with django_assert_max_num_queries(12):
        response = client.get(reverse("projects:export_project", args=[plan_data.team.project.pk]))
    assert len(json.loads(response.content)["project"]["plan"]["versions"]) == 2
