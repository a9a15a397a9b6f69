"""`make audit`'s verdict (scripts/audit.py) on Lighthouse reports shaped like its JSON.

The one exception (a search result page's "is-crawlable", noindex on purpose) must excuse
that audit on that page only, and never hide another failing audit behind it.
"""

import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "scripts"))
import audit  # noqa: E402  (scripts/audit.py)


def report(failing=(), performance=1.0):
    """A Lighthouse report whose four categories pass but for the ``failing`` SEO audits."""
    audits = {"largest-contentful-paint": {"score": performance}}
    categories = {
        "performance": {"score": performance,
                        "auditRefs": [{"id": "largest-contentful-paint", "weight": 25}]},
    }
    for key, ids in (
        ("accessibility", ["color-contrast"]),
        ("best-practices", ["errors-in-console"]),
        ("seo", ["is-crawlable", "meta-description", "document-title"]),
    ):
        refs = [{"id": audit_id, "weight": 1} for audit_id in ids]
        for audit_id in ids:
            audits[audit_id] = {"score": 0 if audit_id in failing else 1}
        passed = sum(audit_id not in failing for audit_id in ids)
        categories[key] = {"score": passed / len(ids), "auditRefs": refs}
    return {"categories": categories, "audits": audits}


def passed(name, lighthouse_report):
    return {key: ok for key, _score, ok, _note, _failed in audit.verdicts(name, lighthouse_report)}


def test_noindex_search_page_passes_with_its_real_seo_score_and_a_note():
    rows = audit.verdicts("search", report(failing={"is-crawlable"}))
    seo = next(row for row in rows if row[0] == "seo")
    assert seo[1] == 67  # the score as Lighthouse gave it, not raised
    assert seo[2] is True
    assert "noindex" in seo[3]
    assert "67 †" in audit.table({"search": rows})


def test_another_failing_seo_audit_on_the_search_page_fails():
    verdict = passed("search", report(failing={"is-crawlable", "meta-description"}))
    assert verdict["seo"] is False


def test_is_crawlable_failing_on_a_product_page_fails():
    assert passed("product", report(failing={"is-crawlable"}))["seo"] is False


def test_performance_below_95_fails_and_95_passes():
    assert passed("product", report(performance=0.94))["performance"] is False
    assert passed("product", report(performance=0.95))["performance"] is True
