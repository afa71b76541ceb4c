"""Import every module of a generated Python client; fail naming those that do not import.

Usage: python import_all.py PACKAGE_DIR SPEC_JSON
PACKAGE_DIR is the directory that holds the package (it goes on sys.path);
SPEC_JSON is the bundled OpenAPI document as JSON, whose operations are
compared with the generated operation modules (one per operation, under `api/`).
"""

import importlib
import json
import pkgutil
import sys
from pathlib import Path

PACKAGE = "gitcode_client"


def main() -> int:
    root, spec_path = Path(sys.argv[1]), Path(sys.argv[2])
    sys.path.insert(0, str(root))
    package = importlib.import_module(PACKAGE)

    failed = []
    modules = []
    for info in pkgutil.walk_packages(package.__path__, PACKAGE + "."):
        try:
            importlib.import_module(info.name)
        except Exception as error:  # any error at import is a broken module
            failed.append((info.name, f"{type(error).__name__}: {error}"))
        modules.append(info)

    api = PACKAGE + ".api."
    tags = sorted(m.name for m in modules if m.name.startswith(api) and m.ispkg)
    operations = {m.name.rsplit(".", 1)[1] for m in modules if m.name.startswith(api) and not m.ispkg}

    spec = json.loads(spec_path.read_text())
    in_spec = {
        op["operationId"]
        for item in spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }
    missing = sorted(in_spec - operations)

    print(f"python: {len(modules)} modules, {len(tags)} api packages, {len(operations)} operation modules "
          f"(the spec has {len(in_spec)} operations)")
    for name in missing:
        print(f"python: not generated: {name}")
    for name, error in failed:
        print(f"python: FAILED to import {name}: {error}")
    if failed or missing:
        print(f"python: {len(failed)} module(s) failed to import, {len(missing)} operation(s) not generated")
        return 1
    print(f"python: all {len(modules)} modules imported")
    return 0


if __name__ == "__main__":
    sys.exit(main())
