"""The public surface: __all__ matches what the package exports."""

import flashpoint


def test_public_api_all_is_exported():
    for name in flashpoint.__all__:
        assert hasattr(flashpoint, name), name
    public = {n for n in dir(flashpoint) if not n.startswith("_") and n not in ("annotations",)}
    modules = {"errors", "models", "ingest", "nlp", "store", "analytics", "actors", "ontology", "registry", "config",
               "cli", "explain", "report", "evaluate", "testing", "api", "engines"}
    assert public - modules <= set(flashpoint.__all__)


def test_public_api_errors_carry_codes():
    err = flashpoint.QueryError("bad filter")
    assert str(err).startswith("[E400]")
