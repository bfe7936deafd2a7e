#!/usr/bin/env bash
# Build the one-folder application into dist/ouvrage/ and print its size and build time.
# Usage: packaging/build.sh [--smoke]   (--smoke also starts it offscreen on the demo)
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -c "import PyInstaller" 2>/dev/null || {
    echo "PyInstaller is missing: python3 -m pip install -e '.[package]' (or pip install pyinstaller)" >&2
    exit 1
}
start=$(date +%s)
# Ouvrage's translations: resources/translations/*.ts compiled into the .qm files the
# application loads first (never committed; a source checkout compiles them at start).
python3 -m scripts.update_translations --release
python3 -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/ouvrage.spec
end=$(date +%s)

echo "built dist/ouvrage in $((end - start)) s"
echo "size: $(du -sh dist/ouvrage | cut -f1) ($(find dist/ouvrage -type f | wc -l) files)"
./dist/ouvrage/ouvrage --version

if [[ "${1:-}" == "--smoke" ]]; then
    # A throwaway profile: the smoke test never touches the contributor's own.
    profile=$(mktemp -d)
    trap 'rm -rf "$profile"' EXIT
    QT_QPA_PLATFORM=offscreen ./dist/ouvrage/ouvrage --demo --profile "$profile/demo" --smoke-test
fi
