"""Staff role changes reach the audit log (issue #17): cooperative memberships through the services and
Django admin's cooperative page, and the role flags, groups and permissions edited on admin's user page."""
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from storefront.account.services import user_roles_update
from storefront.cooperative.models import CooperativeMember
from storefront.cooperative.services import cooperative_member_add, cooperative_member_remove
from storefront.core.audit import audit_entries
from storefront.core.models import AuditEntry
from tests.factories import make_coop_staff, make_user

pytestmark = pytest.mark.django_db
Action = AuditEntry.Action


def entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


class _FormFields(HTMLParser):
    """The fields a browser would post from the form with the given id (checked boxes, selected options)."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.select, self.textarea = form_id, False, None, None
        self.fields: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "__prefix__" in (a.get("name") or ""):
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value") or ("on" if a.get("type") == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self.textarea = a["name"]
            self.fields.append((self.textarea, ""))

    def handle_data(self, data):
        if self.textarea and self.fields and self.fields[-1][0] == self.textarea:
            name, text = self.fields[-1]
            self.fields[-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def admin_form(client, url: str, form_id: str) -> dict:
    """The change page's form as the browser would send it back unchanged (one value or a list per name)."""
    response = client.get(url)
    assert response.status_code == 200
    parser = _FormFields(form_id)
    parser.feed(response.content.decode())
    data: dict = {}
    for name, value in parser.fields:
        if name in data:
            data[name] = (data[name] if isinstance(data[name], list) else [data[name]]) + [value]
        else:
            data[name] = value
    data.pop("csrfmiddlewaretoken", None)
    return data


@pytest.fixture
def admin_client(client, program_staff):
    program_staff.is_superuser = True
    program_staff.save()
    client.force_login(program_staff)
    return client


# --- cooperative memberships through the services ------------------------------------------------------

def test_adding_changing_and_removing_a_member_is_logged(coop, program_staff):
    owner, newcomer = make_user("chu.nhiem@example.com"), make_user("moi@example.com")
    cooperative_member_add(actor=program_staff, cooperative=coop, user=owner, role="owner")
    cooperative_member_add(actor=owner, cooperative=coop, user=newcomer)  # staff by default
    cooperative_member_add(actor=owner, cooperative=coop, user=newcomer, role="staff")  # no change: no entry
    cooperative_member_add(actor=owner, cooperative=coop, user=newcomer, role="owner")
    member = CooperativeMember.objects.get(cooperative=coop, user=newcomer)
    cooperative_member_remove(actor=program_staff, member=member)
    assert not CooperativeMember.objects.filter(pk=member.pk).exists()
    logged = entries(Action.COOPERATIVE_MEMBER)
    assert [(e.actor, e.changes) for e in logged] == [
        (program_staff, {"member": "chu.nhiem@example.com", "role": [None, "owner"]}),
        (owner, {"member": "moi@example.com", "role": [None, "staff"]}),
        (owner, {"member": "moi@example.com", "role": ["staff", "owner"]}),
        (program_staff, {"member": "moi@example.com", "role": ["owner", None]}),
    ]
    assert {(e.target_type, e.target_id, e.target_repr) for e in logged} == {
        ("cooperative.cooperative", str(coop.pk), str(coop))}
    assert all(e.created_at and e.actor_email == e.actor.email for e in logged)
    # Program staff read them on the audit log, with the change spelt out.
    shown = audit_entries(actor=program_staff, action=Action.COOPERATIVE_MEMBER).first()
    assert dict(shown.change_rows) == {"member": "moi@example.com", "role": "owner → —"}  # jsonb keeps no order


def test_a_refused_member_change_writes_nothing(coop, other_coop, coop_staff):
    outsider = make_user("ngoai@example.com")
    with pytest.raises(PermissionDenied):  # staff, not the owner
        cooperative_member_add(actor=coop_staff, cooperative=coop, user=outsider, role="owner")
    foreign_owner = make_coop_staff(other_coop, "chu.khac@example.com", role="owner")
    member = CooperativeMember.objects.get(cooperative=coop, user=coop_staff)
    with pytest.raises(PermissionDenied):  # another cooperative's owner
        cooperative_member_remove(actor=foreign_owner, member=member)
    assert CooperativeMember.objects.filter(pk=member.pk).exists()
    assert not CooperativeMember.objects.filter(user=outsider).exists()
    assert not entries(Action.COOPERATIVE_MEMBER)


# --- Django admin ------------------------------------------------------------------------------------

def test_admin_user_page_logs_role_flags_groups_and_permissions(admin_client, program_staff):
    user = make_user("can.bo@example.com")
    group = Group.objects.create(name="Kế toán")
    permission = Permission.objects.get(content_type__app_label="order", codename="view_order")
    url = reverse("admin:account_user_change", args=[user.pk])
    data = admin_form(admin_client, url, "user_form")
    assert "is_trade_staff" not in data  # unticked
    data.update(is_trade_staff="on", is_program_staff="on", groups=[str(group.pk)],
                user_permissions=[str(permission.pk)])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.is_trade_staff and user.is_program_staff
    [entry] = entries(Action.USER_ROLES)
    assert entry.actor == program_staff and entry.target_id == str(user.pk)
    assert entry.changes == {"is_trade_staff": [False, True], "is_program_staff": [False, True],
                             "groups": ["", "Kế toán"], "user_permissions": ["", "order.view_order"]}

    # Saving the page again unchanged records nothing; an edit that is not a role records nothing either.
    data = admin_form(admin_client, url, "user_form")
    data["first_name"] = "Lan"
    assert admin_client.post(url, data).status_code == 302
    assert len(entries(Action.USER_ROLES)) == 1
    data = admin_form(admin_client, url, "user_form")
    data.pop("is_trade_staff")
    assert admin_client.post(url, data).status_code == 302
    assert entries(Action.USER_ROLES)[-1].changes == {"is_trade_staff": [True, False]}


def test_admin_cooperative_page_logs_membership_changes(admin_client, program_staff, coop, coop_staff):
    newcomer = make_user("moi@example.com")
    url = reverse("admin:cooperative_cooperative_change", args=[coop.pk])
    data = admin_form(admin_client, url, "cooperative_form")
    assert data["members-TOTAL_FORMS"] == "1" and data["members-0-role"] == "staff"
    data["members-0-role"] = "owner"  # the staff member is promoted
    data.update({"members-TOTAL_FORMS": "2", "members-1-user": str(newcomer.pk), "members-1-role": "staff",
                 "members-1-cooperative": str(coop.pk)})
    response = admin_client.post(url, data)
    assert response.status_code == 302, [f.errors for f in response.context["inline_admin_formsets"][0].formset]
    assert dict(coop.members.values_list("user__email", "role")) == {coop_staff.email: "owner",
                                                                   "moi@example.com": "staff"}
    assert [(e.actor, e.changes) for e in entries(Action.COOPERATIVE_MEMBER)] == [
        (program_staff, {"member": coop_staff.email, "role": ["staff", "owner"]}),
        (program_staff, {"member": "moi@example.com", "role": [None, "staff"]}),
    ]

    data = admin_form(admin_client, url, "cooperative_form")
    index = next(k.split("-")[1] for k, v in data.items() if k.endswith("-user") and v == str(newcomer.pk))
    data[f"members-{index}-DELETE"] = "on"
    assert admin_client.post(url, data).status_code == 302
    assert not coop.members.filter(user=newcomer).exists()
    assert entries(Action.COOPERATIVE_MEMBER)[-1].changes == {"member": "moi@example.com", "role": ["staff", None]}


def test_admin_staff_without_program_role_cannot_change_memberships(client, coop, coop_staff):
    clerk = make_user("admin.phu@example.com", is_staff=True)  # may use Django admin, is not program staff
    clerk.user_permissions.set(Permission.objects.filter(content_type__app_label="cooperative"))
    client.force_login(clerk)
    url = reverse("admin:cooperative_cooperative_change", args=[coop.pk])
    data = admin_form(client, url, "cooperative_form")
    data["members-0-role"] = "owner"
    assert client.post(url, data).status_code == 403
    assert coop.members.get(user=coop_staff).role == "staff"
    assert not entries(Action.COOPERATIVE_MEMBER)


def test_the_role_service_still_logs_its_changes(program_staff):
    user = make_user("nv@example.com")
    user_roles_update(actor=program_staff, user=user, is_program_staff=True)
    assert entries(Action.USER_ROLES)[-1].changes == {"is_program_staff": [False, True]}
