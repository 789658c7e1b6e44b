"""`python -m bmrt <command>`: one entry point, one module per command.

Each command module exposes `add_arguments(parser)` and `run(args) -> int`; modules are
imported only when their command runs, so a broken optional dependency affects one command.
"""
import argparse
import importlib
import sys

COMMANDS = {
    "smoke": ("bmrt.smoke", "boot the firmware self-test in QEMU"),
    "simulate": ("bmrt.simulate", "start the firmware in QEMU alone, UART on a pty or socket"),
    "compile": ("bmrt.compile", "compile a .tflite or MLIR model to .vmfb"),
    "evaluate": ("bmrt.evaluate", "evaluate a model on the simulated accelerator (the main job)"),
    "report": ("bmrt.report", "render the Markdown report from a results JSON"),
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="bmrt", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name, (_, help_text) in COMMANDS.items():
        subparsers.add_parser(name, help=help_text, add_help=False)
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        parser.parse_args(argv)
        return 2
    module = importlib.import_module(COMMANDS[argv[0]][0])
    command_parser = argparse.ArgumentParser(prog=f"bmrt {argv[0]}", description=COMMANDS[argv[0]][1])
    module.add_arguments(command_parser)
    return module.run(command_parser.parse_args(argv[1:]))


if __name__ == "__main__":
    sys.exit(main())
