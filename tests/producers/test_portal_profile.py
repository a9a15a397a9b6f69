"""'Sửa giới thiệu': a producer's text and photo edits wait for the commune's approval."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.models import PageLogEntry, WorkflowState

from producers.models import ProducerPage
from producers.portal.services import story_as_text
from producers.roles import producer_collection
from producers.selectors import producer_for_user

TANAN_HOST = "tanan.localhost"
PROFILE = "/portal/gioi-thieu/"


def png_upload(name="anh.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 30, 60)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def fresh(producer):
    return ProducerPage.objects.get(pk=producer.pk)


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    assert (
        client.get(PROFILE, HTTP_HOST=TANAN_HOST)["Location"]
        == f"/portal/dang-nhap/?next={PROFILE}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["producer_other", "staff_y", "province", "buyer"])
def test_other_roles_are_refused(request, client, role, producer_a):
    client.force_login(request.getfixturevalue(role))
    response = client.get(PROFILE, HTTP_HOST=TANAN_HOST)
    assert response.status_code == 403
    assert producer_for_user(producer_a).summary not in response.content.decode()


@pytest.mark.django_db
def test_form_shows_the_producers_own_text(client, producer_a, producer_b):
    client.force_login(producer_a)
    html = client.get(PROFILE, HTTP_HOST=TANAN_HOST).content.decode()
    assert producer_for_user(producer_a).summary in html
    assert producer_for_user(producer_b).summary not in html


@pytest.mark.django_db
def test_text_edit_waits_for_approval_and_is_published_when_staff_approve(
    client, producer_a, staff_x
):
    producer = producer_for_user(producer_a)
    client.force_login(producer_a)
    response = client.post(
        PROFILE,
        {"summary": "Lạp xưởng mới, ít mỡ.", "story_text": "Đoạn một.\n\nĐoạn hai."},
        HTTP_HOST=TANAN_HOST,
    )
    assert response.status_code == 302
    page = fresh(producer)
    assert page.summary == producer.summary  # the public page is unchanged
    draft = page.get_latest_revision_as_object()
    assert draft.summary == "Lạp xưởng mới, ít mỡ."
    assert draft.story == "<p>Đoạn một.</p><p>Đoạn hai.</p>"
    state = page.current_workflow_state
    assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    entry = PageLogEntry.objects.get(page=page, action="portal.profile_edit")
    assert entry.user == producer_a and entry.data["fields"] == ["summary", "story"]

    state.current_task_state.approve(user=staff_x)
    assert fresh(producer).summary == "Lạp xưởng mới, ít mỡ."


@pytest.mark.django_db
def test_new_photo_goes_to_the_producers_collection_and_waits_for_approval(client, producer_a):
    producer = producer_for_user(producer_a)
    client.force_login(producer_a)
    response = client.post(
        PROFILE,
        {
            "summary": producer.summary,
            "story_text": story_as_text(producer.story),
            "photo": png_upload(),
        },
        HTTP_HOST=TANAN_HOST,
    )
    assert response.status_code == 302
    page = fresh(producer)
    draft = page.get_latest_revision_as_object()
    assert draft.image_id != page.image_id
    assert draft.image.collection == producer_collection(producer)
    assert (draft.image.width, draft.image.height) == (40, 30)


@pytest.mark.django_db
def test_a_file_that_is_not_an_image_is_refused_and_the_text_is_kept(client, producer_a):
    client.force_login(producer_a)
    bad = SimpleUploadedFile("anh.png", b"not an image", content_type="image/png")
    response = client.post(
        PROFILE,
        {"summary": "Giữ lại chữ này", "story_text": "", "photo": bad},
        HTTP_HOST=TANAN_HOST,
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Giữ lại chữ này"' in html
    assert "portal-field__error" in html
    assert not PageLogEntry.objects.filter(action="portal.profile_edit").exists()


@pytest.mark.django_db
def test_unchanged_form_submits_nothing(client, producer_a):
    producer = producer_for_user(producer_a)
    client.force_login(producer_a)
    client.post(
        PROFILE,
        {"summary": producer.summary, "story_text": story_as_text(producer.story)},
        HTTP_HOST=TANAN_HOST,
    )
    page = fresh(producer)
    assert page.latest_revision_id == producer.latest_revision_id
    assert page.current_workflow_state is None


@pytest.mark.django_db
def test_producer_b_submitting_leaves_producer_a_untouched(client, producer_a, producer_b):
    producer = producer_for_user(producer_a)
    client.force_login(producer_b)
    client.post(PROFILE, {"summary": "Của B", "story_text": "B"}, HTTP_HOST=TANAN_HOST)
    assert fresh(producer).latest_revision_id == producer.latest_revision_id
    assert fresh(producer_for_user(producer_b)).get_latest_revision_as_object().summary == "Của B"


@pytest.mark.django_db
def test_staff_submitting_for_a_household_is_recorded(client, staff_x, producer_a):
    producer = producer_for_user(producer_a)
    client.force_login(staff_x)
    client.post("/portal/nhap-thay/", {"producer": producer.pk}, HTTP_HOST=TANAN_HOST)
    client.post(PROFILE, {"summary": "Cán bộ nhập thay", "story_text": ""}, HTTP_HOST=TANAN_HOST)
    entry = PageLogEntry.objects.get(page=producer, action="portal.profile_edit")
    assert entry.user == staff_x
    assert entry.data["entered_by"] == {"id": staff_x.pk, "username": staff_x.username}
