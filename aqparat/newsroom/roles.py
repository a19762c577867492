"""The newsroom's roles, as Wagtail groups. Shared by the data migration that creates
them and by the code that assigns desks, so the names are written once."""

from __future__ import annotations

JOURNALISTS = "Journalists"
EDITORS = "Editors"
CHIEF_EDITORS = "Chief editors"
ADMINISTRATORS = "Administrators"

# Wagtail's page permission types, as granted on a page and its subtree.
PAGE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    # "add" alone: create pages and edit one's own drafts; no publish, no schedule.
    JOURNALISTS: ("add",),
    # Editors get page permissions per desk (section), not site-wide: see desk_assign.
    EDITORS: (),
    CHIEF_EDITORS: ("add", "change", "publish", "bulk_delete", "lock", "unlock"),
    ADMINISTRATORS: ("add", "change", "publish", "bulk_delete", "lock", "unlock"),
}
DESK_PAGE_PERMISSIONS = ("add", "change", "publish", "lock", "unlock")

# Media library permissions on the root collection (wagtailimages/wagtaildocs auth).
COLLECTION_PERMISSIONS: dict[str, tuple[str, ...]] = {
    JOURNALISTS: ("add_image", "choose_image", "add_document", "choose_document"),
    EDITORS: (
        "add_image", "change_image", "choose_image",
        "add_document", "change_document", "choose_document",
    ),
    CHIEF_EDITORS: (
        "add_image", "change_image", "choose_image", "delete_image",
        "add_document", "change_document", "choose_document", "delete_document",
    ),
    ADMINISTRATORS: (
        "add_image", "change_image", "choose_image", "delete_image",
        "add_document", "change_document", "choose_document", "delete_document",
        "add_collection", "change_collection", "delete_collection",
    ),
}  # fmt: skip

# Model permissions: (app_label, model, codename).
MODEL_PERMISSIONS: dict[str, tuple[tuple[str, str, str], ...]] = {
    JOURNALISTS: (
        ("wagtailadmin", "admin", "access_admin"),
        ("news", "author", "view_author"),
        ("news", "source", "view_source"),
    ),
    EDITORS: (
        ("wagtailadmin", "admin", "access_admin"),
        ("news", "author", "add_author"),
        ("news", "author", "change_author"),
        ("news", "source", "add_source"),
        ("news", "source", "change_source"),
    ),
    CHIEF_EDITORS: (
        ("wagtailadmin", "admin", "access_admin"),
        ("news", "author", "add_author"),
        ("news", "author", "change_author"),
        ("news", "author", "delete_author"),
        ("news", "source", "add_source"),
        ("news", "source", "change_source"),
        ("news", "source", "delete_source"),
        ("news", "breakingbanner", "add_breakingbanner"),
        ("news", "breakingbanner", "change_breakingbanner"),
        ("news", "breakingbanner", "delete_breakingbanner"),
        ("news", "breakingbanner", "view_breakingbanner"),
        ("core", "sitesettings", "change_sitesettings"),
        ("wagtailredirects", "redirect", "add_redirect"),
        ("wagtailredirects", "redirect", "change_redirect"),
        ("wagtailredirects", "redirect", "delete_redirect"),
    ),
}
