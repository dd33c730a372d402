"""End-to-end tests of `hubs lsp` with a real LSP client (pytest-lsp), run by .ci/run:

    python -m pytest Tests/lsp-client   (HUBS=path/to/hubs; default .build/debug/hubs)

The server runs in the repository (the shipped project) through initialize, open, change,
hover, definition, completion and shutdown, on the shipped files and on a broken policy.
"""
import os
import pathlib
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

ROOT = pathlib.Path(__file__).resolve().parents[2]
HUBS = os.environ.get("HUBS", str(ROOT / ".build/debug/hubs"))
POLICY = ROOT / "policies/uk-return-hubs.yaml"
SCENARIO = ROOT / "scenarios/baseline.yaml"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[HUBS, "lsp", "--root", str(ROOT)]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=ROOT.as_uri()))
    yield
    await lsp_client.shutdown_session()


def line_of(path, prefix):
    for i, line in enumerate(path.read_text(encoding="utf-8").split("\n")):
        if line.startswith(prefix):
            return i
    raise AssertionError(f"no line starting with {prefix!r} in {path}")


def open_doc(client, path, text=None, version=1):
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=path.as_uri(), language_id="yaml", version=version, text=text if text is not None else path.read_text(encoding="utf-8"))))


@pytest.mark.asyncio
async def test_a_misspelt_fact_is_located_with_its_did_you_mean_and_goes_away_when_fixed(client: LanguageClient):
    text = POLICY.read_text(encoding="utf-8")
    broken = text.replace("    when: echr_party", "    when: echr_prty")
    assert broken != text
    open_doc(client, POLICY, broken)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    found = [d for d in client.diagnostics[POLICY.as_uri()] if d.code == "unknown_fact"]
    assert found, client.diagnostics[POLICY.as_uri()]
    d = found[0]
    assert "did you mean 'echr_party'?" in d.message
    assert d.severity == types.DiagnosticSeverity.Error
    assert d.range.start.line == line_of(POLICY, "    when: echr_party")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=POLICY.as_uri()), range=d.range,
        context=types.CodeActionContext(diagnostics=[d])))
    assert actions and actions[0].title == "Replace with 'echr_party'"
    edit = actions[0].edit.changes[POLICY.as_uri()][0]
    assert edit.new_text == "echr_party" and edit.range == d.range
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=POLICY.as_uri(), version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert not [d for d in client.diagnostics[POLICY.as_uri()] if d.severity == types.DiagnosticSeverity.Error]


@pytest.mark.asyncio
async def test_hover_on_a_source_and_a_criterion(client: LanguageClient):
    open_doc(client, SCENARIO)
    row = line_of(SCENARIO, "  S29:")
    h = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=SCENARIO.as_uri()), position=types.Position(line=row, character=3)))
    assert "PACE recommends Kosovo" in h.contents.value and "2024-04-17" in h.contents.value
    open_doc(client, POLICY)
    row = line_of(POLICY, "      host_willingness:")
    h = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=POLICY.as_uri()), position=types.Position(line=row, character=8)))
    assert "effective weight 15" in h.contents.value and "why:" in h.contents.value


@pytest.mark.asyncio
async def test_definition_and_completion(client: LanguageClient):
    open_doc(client, POLICY)
    row = line_of(POLICY, "    when: echr_party")
    d = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=POLICY.as_uri()), position=types.Position(line=row, character=12)))
    location = d if isinstance(d, types.Location) else d[0]
    assert location.range.start.line == line_of(POLICY, "  echr_party:")
    c = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=SCENARIO.as_uri()), position=types.Position(line=0, character=0)))
    items = c.items if hasattr(c, "items") else c
    labels = {i.label for i in items}
    assert {"cpi_2024", "host_willingness", "S29"} <= labels


@pytest.mark.asyncio
async def test_references_symbols_and_inlay_hints(client: LanguageClient):
    open_doc(client, POLICY)
    row = line_of(POLICY, "  echr_party:")
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=types.TextDocumentIdentifier(uri=POLICY.as_uri()), position=types.Position(line=row, character=4),
        context=types.ReferenceContext(include_declaration=True)))
    assert {r.uri for r in refs} >= {POLICY.as_uri(), SCENARIO.as_uri()}
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=types.TextDocumentIdentifier(uri=POLICY.as_uri())))
    legal = next(s for s in symbols if s.name == "legal")
    assert any(c.name == "echr" for c in legal.children)
    open_doc(client, SCENARIO)
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(uri=SCENARIO.as_uri()),
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=10000, character=0))))
    assert any(str(h.label).startswith("rank 1, risk 33.7 (moderate)") for h in hints)
