"""IAM (delegated access) integrations of the organization: the emulated organization has none.

The official SDK's ``create_dataset`` asks for them to find the default one; with none it sets no signer. Setting a
signer on a dataset (``setSignerForDataset``, as ``Dataset.add_iam_integration`` and ``create_dataset`` send it)
therefore always names an integration that does not exist.
"""

from __future__ import annotations

from .._data import JSONDict
from ._base import Info, Resolver, Resource, not_found

SDL = """
type AwsIamIntegrationSettings { roleArn: String }
type GcpIamIntegrationSettings { serviceAccountEmailId: String readBucket: String }
union IamIntegrationSettings = AwsIamIntegrationSettings | GcpIamIntegrationSettings
type IamIntegration { id: ID! name: String! createdAt: DateTime updatedAt: DateTime provider: String
  valid: Boolean! lastValidAt: DateTime isOrgDefault: Boolean! settings: IamIntegrationSettings }

input SetSignerForDatasetInput { signerId: ID! }
type DatasetCheck { name: String! success: Boolean! }
type DatasetValidation { valid: Boolean! checks: [DatasetCheck!]! }

extend type Query { iamIntegrations: [IamIntegration!]! }
extend type Mutation {
  setSignerForDataset(data: SetSignerForDatasetInput!, where: WhereUniqueIdInput!): Dataset!
  validateDataset(where: WhereUniqueIdInput!): DatasetValidation!
}
"""


class IamIntegrations(Resource):
    """No integrations: ``iamIntegrations`` is an empty list."""

    SDL = SDL

    def root(self) -> dict[str, Resolver]:
        def set_signer(info: Info, data: JSONDict, where: JSONDict) -> JSONDict:
            if self.backend.datasets.find(where.get("id")) is None:
                raise not_found("dataset", where.get("id"))
            raise not_found("IAM integration", data.get("signerId"))

        def validate(info: Info, where: JSONDict) -> JSONDict:
            if self.backend.datasets.find(where.get("id")) is None:
                raise not_found("dataset", where.get("id"))
            return {"valid": False, "checks": [{"name": "signer", "success": False}]}

        return {"iamIntegrations": lambda info: [], "setSignerForDataset": set_signer, "validateDataset": validate}
