"""``client.foundry``: Foundry apps (a Foundry model, its inference parameters, its classes mapped to an ontology)
and running one on data rows, which makes a model run of its predictions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from alabelbox._exceptions import InvalidArgumentError, InvalidQueryError, LabelboxError, ResourceNotFoundError
from alabelbox._queries.foundry import CREATE_FOUNDRY_APP, CREATE_MODEL_JOB, DELETE_FOUNDRY_APP, GET_FOUNDRY_APP_BY_ID
from alabelbox._validation import check_id
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg
from alabelbox.types.foundry_app import FoundryApp
from alabelbox.types.task import Task

__all__ = ["Foundry"]


def _ids(argument: str, values: Iterable[str] | None) -> list[str]:
    """The ids of ``values`` in order, repeats dropped; each bad item named by its index."""
    if values is None:
        return []
    if isinstance(values, str):
        raise InvalidArgumentError(argument, f"must be a list of ids, not the string {values!r}; wrap it: [id]")
    return list(dict.fromkeys(check_id(f"{argument}[{i}]", v) for i, v in enumerate(values)))


def _not_found(exc: LabelboxError, app_id: str) -> LabelboxError:
    # The API answers a missing app with a client error whose message says "not found", not RESOURCE_NOT_FOUND.
    if isinstance(exc, (InvalidQueryError, ResourceNotFoundError)) and "not found" in str(exc).lower():
        return ResourceNotFoundError(f"no Foundry app with id {app_id!r}", operation=exc.operation, status=exc.status)
    return exc


class Foundry(Resource):
    """Foundry apps: ``client.foundry``.

    Running an app is a server-side task (``run_app`` returns the :class:`~alabelbox.types.Task`; wait for it with
    ``client.tasks.wait``). The run it makes is a run of the app's model, named as asked: find it with
    ``client.model_runs.list(app.model_id)`` and read its predictions with
    ``client.exports.create(model_run_id=..., include_predictions=True)``.

    Example:
        >>> app = await client.foundry.retrieve_app(app_id)
        >>> task = await client.foundry.run_app(app, model_run_name="boxes", data_row_ids=[data_row_id])
        >>> (await client.tasks.wait(task)).succeeded
        True
    """

    async def retrieve_app(self, app_id: str, *, timeout: TimeoutArg = DEFAULT) -> FoundryApp:
        """One app by id, as the SDK's ``FoundryClient._get_app``.

        Raises:
            ResourceNotFoundError: There is no such app.

        Example:
            >>> app = await client.foundry.retrieve_app(app_id)
            >>> app.id == app_id, sorted(app.inference_params)
            (True, ['box_threshold', 'max_objects'])
        """
        app_id = check_id("app_id", app_id)
        try:
            return await self._retrieve(GET_FOUNDRY_APP_BY_ID, {"id": app_id}, FoundryApp, timeout=timeout)
        except LabelboxError as exc:
            raise _not_found(exc, app_id) from exc

    async def create_app(
        self,
        name: str,
        *,
        model_id: str,
        ontology_id: str,
        class_to_schema_id: Mapping[str, str],
        inference_params: Mapping[str, Any] | None = None,
        description: str | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> FoundryApp:
        """Create an app of a Foundry model, as the SDK's ``FoundryClient._create_app``.

        Args:
            name: The app's name.
            model_id: The Foundry model that makes the predictions.
            ontology_id: The ontology the predictions are written in.
            class_to_schema_id: The model's class names -> feature schema ids of that ontology.
            inference_params: What the model is run with (the model's own parameter names); none by default.
            description: Free text.
            timeout: Limits for the request, overriding the client's.

        Raises:
            InvalidArgumentError: A blank name, or a mapping that is not of strings to ids (the key is named).
            ResourceNotFoundError: There is no such model or ontology.

        Example:
            >>> base = await client.foundry.retrieve_app(app_id)
            >>> mine = await client.foundry.create_app(
            ...     "boxes only", model_id=base.model_id, ontology_id=base.ontology_id,
            ...     class_to_schema_id={"damage": base.class_to_schema_id["damage"]},
            ...     inference_params={"max_objects": 1},
            ... )
            >>> list(mine.class_to_schema_id), mine.inference_params
            (['damage'], {'max_objects': 1})
        """
        if not isinstance(name, str) or not name.strip():
            raise InvalidArgumentError("name", f"must be a non-blank string, got {name!r}")
        if not isinstance(class_to_schema_id, Mapping) or not class_to_schema_id:
            raise InvalidArgumentError("class_to_schema_id", "must be a non-empty mapping of class names to ids")
        mapping = {}
        for key, value in class_to_schema_id.items():
            if not isinstance(key, str) or not key:
                raise InvalidArgumentError("class_to_schema_id", f"a class name must be a non-empty string: {key!r}")
            mapping[key] = check_id(f"class_to_schema_id[{key!r}]", value)
        if inference_params is not None and not isinstance(inference_params, Mapping):
            raise InvalidArgumentError("inference_params", f"must be a mapping, got {type(inference_params).__name__}")
        if description is not None and not isinstance(description, str):
            raise InvalidArgumentError("description", f"must be a string, got {type(description).__name__}")
        variables = {
            "name": name,
            "modelId": check_id("model_id", model_id),
            "ontologyId": check_id("ontology_id", ontology_id),
            "description": description,
            "inferenceParams": dict(inference_params or {}),
            "classToSchemaId": mapping,
        }
        return await self._mutate(CREATE_FOUNDRY_APP, variables, FoundryApp, timeout=timeout)

    async def delete_app(self, app_id: str, *, timeout: TimeoutArg = DEFAULT) -> None:
        """Delete an app (the runs it made stay), as the SDK's ``FoundryClient._delete_app``.

        Raises:
            ResourceNotFoundError: There is no such app.

        Example:
            >>> await client.foundry.delete_app(app_id)
            >>> await client.foundry.retrieve_app(app_id)
            Traceback (most recent call last):
            ...
            alabelbox._exceptions.ResourceNotFoundError: ...
        """
        app_id = check_id("app_id", app_id)
        try:
            await self._mutate(DELETE_FOUNDRY_APP, {"id": app_id}, timeout=timeout)
        except LabelboxError as exc:
            raise _not_found(exc, app_id) from exc

    async def run_app(
        self,
        app: str | FoundryApp,
        *,
        model_run_name: str,
        data_row_ids: Iterable[str] | None = None,
        global_keys: Iterable[str] | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Task:
        """Run an app on data rows, as the SDK's ``client.run_foundry_app``: a new run of the app's model, named
        ``model_run_name``, holds the rows and the model's predictions on them. Returns the task at once; wait for it
        with ``client.tasks.wait``.

        Args:
            app: The app, or its id (then it is looked up first, as the SDK does).
            model_run_name: The name of the model run it makes.
            data_row_ids: The rows, by id.
            global_keys: The rows, by global key (instead of ``data_row_ids``: the API takes one kind per run).
            timeout: Limits for each request, overriding the client's.

        Raises:
            InvalidArgumentError: A blank name, no rows, both kinds of identifier, or an item that is not an id
                (named by its index).
            ResourceNotFoundError: There is no such app.

        Example:
            >>> task = await client.foundry.run_app(app_id, model_run_name="pre-labels", global_keys=[global_key])
            >>> task = await client.tasks.wait(task)
            >>> app = await client.foundry.retrieve_app(app_id)
            >>> [r.name async for r in client.model_runs.list(app.model_id)][-1]
            'pre-labels'
        """
        if not isinstance(model_run_name, str) or not model_run_name.strip():
            raise InvalidArgumentError("model_run_name", f"must be a non-blank string, got {model_run_name!r}")
        ids, keys = _ids("data_row_ids", data_row_ids), _ids("global_keys", global_keys)
        if ids and keys:
            raise InvalidArgumentError("global_keys", "give data_row_ids or global_keys, not both, in one run")
        if not ids and not keys:
            raise InvalidArgumentError("data_row_ids", "give data_row_ids or global_keys (at least one data row)")
        if not isinstance(app, FoundryApp):
            app = await self.retrieve_app(app, timeout=timeout)
        params: dict[str, Any] = {
            "modelId": app.model_id,
            "name": model_run_name,
            "classToSchemaId": dict(app.class_to_schema_id),
            "inferenceParams": dict(app.inference_params),
            "ontologyId": app.ontology_id,
            "modelAppId": app.id,
        }
        if ids:
            params["dataRowIds"] = ids
        else:
            params["globalKeys"] = keys
        try:
            return await self._create_task(CREATE_MODEL_JOB, {"input": params}, timeout=timeout)
        except LabelboxError as exc:
            raise _not_found(exc, app.id) from exc
