"""IAM (delegated access) integrations of the organization: the emulated organization has none.

The official SDK's ``create_dataset`` asks for them to find the default one; with none it sets no signer.
"""

from __future__ import annotations

from ._base import Resolver, Resource

SDL = """
type AwsIamIntegrationSettings { roleArn: String }
type GcpIamIntegrationSettings { serviceAccountEmailId: String readBucket: String }
union IamIntegrationSettings = AwsIamIntegrationSettings | GcpIamIntegrationSettings
type IamIntegration { id: ID! name: String! createdAt: DateTime updatedAt: DateTime provider: String
  valid: Boolean! lastValidAt: DateTime isOrgDefault: Boolean! settings: IamIntegrationSettings }

extend type Query { iamIntegrations: [IamIntegration!]! }
"""


class IamIntegrations(Resource):
    """No integrations: ``iamIntegrations`` is an empty list."""

    SDL = SDL

    def root(self) -> dict[str, Resolver]:
        return {"iamIntegrations": lambda info: []}
