"""Generated pages past Markdown (issue 25, point 5): the hook gives MkDocs the HTML render.html_page makes
of a generated page instead of having Python-Markdown parse it, and it must be what Markdown makes.

On a few pages of every kind, MkDocs' own Markdown rendering (Page.render, as before the change) and
html_page give the same HTML, table of contents and anchors, and the session's build (built_site,
made through the hook) holds exactly that HTML and that table of contents. The whole site was compared
file for file before and after the change (README: Benchmark).
"""
from __future__ import annotations

import pytest

from conftest import ROOT

# A scheme page (every section), a force and an organisation page, the home page, the contribute page
# (lists, <pre> blocks, eleven headings) and the finder (scripts, no table of contents).
PAGES = ["schemes/{first}.md", "forces/{force}.md", "providers/{provider}.md", "index.md", "contribute.md",
         "finder.md", "about/evidence.md"]


@pytest.fixture(scope="module")
def mkdocs_config():
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    yield config
    config.plugins.on_shutdown()


@pytest.fixture(scope="module")
def rendered(prepared):
    """The chosen generated pages as the generator writes them (Markdown with front matter)."""
    from generator import pages, render

    declared = {p.path: p for p in pages.declare(prepared)}
    names = {"first": prepared.schemes[0]["slug"], "force": prepared.forces[0]["slug"],
             "provider": prepared.providers[0]["slug"]}
    renderer = render.Renderer()
    return {path: renderer.render(declared[path]) for path in (p.format(**names) for p in PAGES)}


def _markdown_page(config, path: str, text: str):
    """The page as MkDocs renders it through Markdown (no hook): content, toc and anchors."""
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    file = File(path, None, config.site_dir, config.use_directory_urls)  # as File.generated makes it
    file.content_string = text
    page = Page(None, file, config)
    page.read_source(config)
    page.render(config, Files([file]))
    return page


def _toc(items) -> list:
    return [(i.title, i.url, i.level, _toc(i.children)) for i in items]


@pytest.mark.parametrize("index", range(len(PAGES)))
def test_a_generated_page_skips_markdown_and_gives_the_same_html(index, rendered, mkdocs_config, built_site):
    from mkdocs.structure.files import Files

    from generator import hook, render

    path, text = list(rendered.items())[index]
    before = _markdown_page(mkdocs_config, path, text)   # through Markdown, as before the change
    assert render.html_page(before.markdown) is not None, f"{path} went through Markdown"
    # Through the hook: on_page_markdown leaves Markdown an empty page; on_page_content gives the HTML back.
    page = _markdown_page(mkdocs_config, path, "")
    page.meta, page.markdown = before.meta, before.markdown
    hook._generated.add(path)
    try:
        page.markdown = hook.on_page_markdown(page.markdown, page=page, config=mkdocs_config, files=None)
        assert page.markdown == ""
        page.render(mkdocs_config, Files([page.file]))
        page.content = hook.on_page_content(page.content, page=page, config=mkdocs_config, files=None)
    finally:
        hook._generated.discard(path)
    assert page.content == before.content
    assert _toc(page.toc) == _toc(before.toc)
    assert page.present_anchor_ids == before.present_anchor_ids
    # The session's build went through the hook: its page holds this HTML, and a link to each heading.
    built = (built_site / page.file.dest_uri).read_text(encoding="utf-8")
    assert page.content in built.replace(" data-pagefind-body", "")
    for item in page.toc:
        assert f'href="{item.url}"' in built


@pytest.mark.parametrize("text", [
    "<p>a</p>\n\nSome *Markdown* text\n",           # a paragraph of Markdown
    "<p>a</p> tail\n",                              # text after an element
    "<span>inline</span>\n",                        # an element Markdown does not keep as a block
    "<!-- material/tags -->\n<p>a</p>\n",           # a comment
    "## A heading with `code`\n\n<p>a</p>\n",       # a heading with Markdown in it
    "<pre>\n```\nx\n```\n</pre>\n",                 # a fence, which Markdown reads even inside HTML
    "<div>\n<p>unclosed</div>\n",                   # unbalanced
])
def test_anything_else_goes_through_markdown(text):
    from generator import render

    assert render.html_page(text) is None


def test_the_fast_path_matches_markdown_on_its_edge_cases():
    import markdown

    from generator import render

    md = markdown.Markdown(extensions=["toc", "tables", "fenced_code", "attr_list", "admonition"],
                           extension_configs={"toc": {"permalink": True}})
    for text in ["<p>a</p>\n<p>b</p>\n\n## Money {: data-pagefind-ignore }\n\n<div>\nx\n</div>\n",
                 "## Same\n\n<p>a</p>\n\n\n<p>b</p>\n\n## Same\n\n## Same\n<div>\n\n  \n<p>c</p>\n</div>\n",
                 "# Title\n<section id=\"s\">\n<h2 id=\"x\">raw</h2>\n</section>\n## Next\n",
                 "<script src=\"x.js\" defer></script>\n<div>a</div>\n", "",
                 "## Who's it for (in brief), 2.0 - again\n<dl>\n<dt>a</dt><dd>b</dd>\n</dl>\n\n\n## Who's it for (in brief), 2.0 - again\n"]:
        md.reset()
        want = md.convert(text)
        made = render.html_page(text)
        assert made is not None, text
        assert made == (want, md.toc_tokens), text
