"""Every public function, class and method of the package has a docstring (the developers'
guide: what it returns and in which units). Public means: not starting with an underscore,
defined in the module that is walked (not imported into it)."""
import importlib
import inspect
import pkgutil

import pathways


def public_objects_without_docstring() -> list[str]:
    """Return the dotted names of the package's public functions, classes, methods and
    properties that have no docstring of their own."""
    missing = []
    for info in pkgutil.walk_packages(pathways.__path__, "pathways."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            doc = obj.__doc__ or ""
            if not doc or (inspect.isclass(obj) and doc.startswith(f"{name}(")):
                missing.append(f"{info.name}.{name}")      # none, or a dataclass's signature
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    function = member.fget if isinstance(member, property) else member
                    if isinstance(function, (staticmethod, classmethod)):
                        function = function.__func__
                    if (not attr.startswith("_") and inspect.isfunction(function)
                            and not function.__doc__):
                        missing.append(f"{info.name}.{name}.{attr}")
    return missing


def test_every_public_function_class_and_method_has_a_docstring():
    assert public_objects_without_docstring() == []


def test_the_docstring_check_finds_a_missing_one(monkeypatch):
    """The check can fail: a public function without a docstring is named."""
    from pathways import regimen

    def undocumented():
        pass
    undocumented.__module__ = regimen.__name__
    monkeypatch.setattr(regimen, "undocumented", undocumented, raising=False)
    assert "pathways.regimen.undocumented" in public_objects_without_docstring()
