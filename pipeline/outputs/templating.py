"""The one place where jinja2 environments are made (a shared writer of every deliverable with templates).

Templates travel between centres (a voivodeship office shares one), so they are data, not code: every
environment is jinja2's `SandboxedEnvironment` (a template cannot reach Python's attributes, modules or
the shell) and strict about undefined names (`StrictUndefined`: a misspelt name is an error, never an
empty gap in a report).  The centre's own templates are read through `pipeline.read.user_files` (regular
files, size cap).  Any template error becomes `TemplateFailed` with one coded Polish problem naming the
template file, the line and what is wrong; the command line prints it as a usage error (exit 2).
Every value a template prints passes `document_text` (the environment's `finalize`): free text of an export
(a project's title) with a control character cannot break an XML document (DOCX) or a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, PackageLoader, StrictUndefined, TemplateNotFound
from jinja2.exceptions import SecurityError, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from pipeline.problems import ExportRejected, Problem
from pipeline.read.user_files import (
    TEMPLATE_FORBIDDEN,
    TEMPLATE_OTHER,
    TEMPLATE_SYNTAX,
    TEMPLATE_UNDEFINED,
    read_template,
    template_label,
)

# characters XML 1.0 does not allow (lxml refuses them: a DOCX cannot hold them) and the C1 controls; a vertical tab
# or a form feed (Word's line and page breaks, pasted into a title) becomes a space, the others are removed
_XML_INVALID = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("[\x0b\x0c]")


def document_text(value: Any) -> Any:
    """A text as every document may hold it: XML-invalid and C1 control characters removed (a vertical tab or a
    form feed becomes a space); anything that is not a text is returned as it is."""
    if not isinstance(value, str):
        return value
    cleaned = _XML_INVALID.sub("", _BREAKS.sub(" ", value))
    return Markup(cleaned) if isinstance(value, Markup) else cleaned  # a macro's HTML stays HTML (not escaped again)


class TemplateFailed(Exception):
    """A template could not be read or rendered; `problem` says which, where and why (never a traceback)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.describe())
        self.problem = problem


class FolderLoader(BaseLoader):
    """Templates from the centre's folder: regular files only, read with a size cap (pipeline.read.user_files)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder / template
        if "/" in template or "\\" in template or template.startswith("."):
            raise TemplateNotFound(template)
        try:
            text = read_template(path)
        except ExportRejected as e:
            raise TemplateFailed(e.problems[0]) from None
        if text is None:
            raise TemplateNotFound(template)
        return text, str(path), lambda: False


def environment(package: str, folder: Path | None = None, *, autoescape: bool | Callable[[str | None], bool] = True,
                **options: Any) -> SandboxedEnvironment:
    """A sandboxed, strict environment over the templates of `package` (its `templates/` folder); with `folder`,
    the centre's templates of the same name are used first."""
    loader: BaseLoader = PackageLoader(package, "templates")
    if folder is not None:
        loader = ChoiceLoader([FolderLoader(folder), loader])
    return SandboxedEnvironment(loader=loader, undefined=StrictUndefined, autoescape=autoescape, finalize=document_text,
                                **options)


def _template_line(error: BaseException) -> tuple[str | None, int | None]:
    """The template file and line where a rendering error happened (jinja2 rewrites the traceback to it)."""
    name, line = None, None
    tb: TracebackType | None = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or filename == "<template>":
            name, line = filename, tb.tb_lineno
        tb = tb.tb_next
    return name, line


def _what(error: TemplateError) -> tuple[Any, str]:
    """The code and the Polish description of a jinja2 error."""
    text = str(error)
    if isinstance(error, TemplateSyntaxError):
        return TEMPLATE_SYNTAX, f"błąd składni szablonu (jinja2: {text}); sprawdź znaczniki {{{{ }}}} i {{% %}} w tym wierszu"
    if isinstance(error, SecurityError):
        attribute = re.search(r"attribute '([^']*)'", text)
        shown = f" (atrybut „{attribute.group(1)}”)" if attribute else ""
        return TEMPLATE_FORBIDDEN, (f"szablon sięga poza dane raportu{shown}: szablony nie mogą uruchamiać kodu ani "
                                    "czytać wnętrza Pythona; usuń to wyrażenie")
    if isinstance(error, UndefinedError):
        missing = re.search(r"'([^']*)' is undefined", text) or re.search(r"has no attribute '([^']*)'", text)
        shown = f"„{missing.group(1)}”" if missing else "nazwy"
        return TEMPLATE_UNDEFINED, (f"nieznana nazwa {shown}: nie ma jej w danych raportu; popraw pisownię "
                                    "(nazwy: szablon wbudowany, report --init-templates DIR)")
    if isinstance(error, TemplateNotFound):
        return TEMPLATE_OTHER, f"brak szablonu {error.name}"
    return TEMPLATE_OTHER, f"szablonu nie da się wypełnić (jinja2: {text})"


@contextmanager
def template_errors() -> Iterator[None]:
    """Turn any jinja2 error raised inside into TemplateFailed naming the template, the line and what is wrong."""
    try:
        yield
    except TemplateError as e:
        code, message = _what(e)
        if isinstance(e, TemplateSyntaxError):
            name, line = e.filename or e.name, e.lineno
        else:
            name, line = _template_line(e)
        label = template_label(Path(name)) if name and name != "<template>" else None
        problem = code.problem(message, file=label, rows=[line] if line else [])
        raise TemplateFailed(problem) from None


def render(env: SandboxedEnvironment, name: str, **values: Any) -> str:
    """The template `name` of `env` rendered with `values`; TemplateFailed on any template error."""
    with template_errors():
        return env.get_template(name).render(**values)
