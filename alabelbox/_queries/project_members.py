"""Project member and role documents, as the official SDK 7.17 sends them."""

from __future__ import annotations

from typing import Final

__all__ = [
    "PROJECT_MEMBER_OVERVIEW",
    "SET_PROJECT_MEMBERSHIP",
]

PROJECT_MEMBER_OVERVIEW: Final = """
query ProjectMemberOverviewPyApi($projectId: ID!, $skip: Int, $first: PageSize) {
  project(where: {id: $projectId}) {
    id members(skip: $skip, first: $first) { id user { id email name } role { id name } accessFrom }
  }
}
"""

SET_PROJECT_MEMBERSHIP: Final = """
mutation SetProjectMembershipPyApi($userId: ID!, $roleId: ID!, $projectId: ID!) {
  setProjectMembership(data: {userId: $userId, roleId: $roleId, projectId: $projectId}) { id }
}
"""
