"""JSON Merge Patch (RFC 7396): a partial document where `null` removes a member.

The RFC defines the algorithm in eight lines of pseudocode (section 2); this is that
pseudocode. The one library on PyPI for it (json-merge-patch 0.3) merges arrays by position
on request, which RFC 7396 does not do, so we keep the RFC's own algorithm here.
"""

from __future__ import annotations

from typing import Any


def merge_patch(target: Any, patch: Any) -> Any:
    """`target` with `patch` applied: objects merge member by member, `null` removes a
    member, anything else (arrays included) replaces what was there."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for name, value in patch.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = merge_patch(result.get(name), value)
    return result
