"""Run one CTIP operation in this process and stop, just before it commits, where the parent
test (tests/test_faults.py) kills it: `python tests/fault_child.py '<json>'`.

The JSON names the operation and `hang` ("module:function"): once that function has returned
inside the operation's transaction, this process writes `marker` and sleeps until killed.
"""

import importlib
import json
import os
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctip.settings")
django.setup()


def hang_after(target: str, marker: Path) -> None:
    module_name, name = target.rsplit(":", 1)
    module = importlib.import_module(module_name)
    original = getattr(module, name)

    def hanging(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = original(*args, **kwargs)
        marker.write_text("reached")
        time.sleep(600)
        return result

    setattr(module, name, hanging)


def main(order: dict) -> None:
    from django.core.management import call_command

    from ctip.core.crypto import keyring
    from ctip.core.keys import reencrypt_all
    from ctip.core.models import User
    from ctip.statistics.models import ReportingRound
    from ctip.statistics.services import round_publish

    hang_after(order["hang"], Path(order["marker"]))
    if order["operation"] == "worker":
        call_command("worker", "--batch", "--no-startup-delay", "--interval", "0")
    elif order["operation"] == "publish":
        analyst = User.objects.get(email=order["actor"])
        round_publish(actor=analyst, round_=ReportingRound.objects.get(year=order["year"]))
    elif order["operation"] == "rotate":
        reencrypt_all(ring=keyring().with_new_key())
    else:
        raise SystemExit(f"unknown operation {order['operation']!r}")


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
