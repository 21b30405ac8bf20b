#!/usr/bin/env bash
# Refresh the vendored NL Design System CSS in static/vendor/ (run by `make vendor`).
# Only this script needs npm; `make run`, `make serve` and CI use the committed files.
# Bump a version here, run `make vendor`, look at the site and commit static/vendor/.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Utrecht component library: white-label CSS components (BEM classes) driven by NL Design
# System tokens. Its dist/index.css holds every component; we use page header and footer, skip
# link, link, button, form field, textbox, select, textarea, checkbox, alert, table and badges.
PACKAGES=(
  "@utrecht/component-library-css@9.0.4"
)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --ignore-scripts --save-exact "${PACKAGES[@]}" >/dev/null)

for spec in "${PACKAGES[@]}"; do
  name="${spec%@*}"
  version="${spec##*@}"
  source="$work/node_modules/$name"
  target="static/vendor/$name"
  rm -rf "$target"
  mkdir -p "$target"
  cp "$source/dist/index.css" "$target/index.css"
  cp "$source"/LICEN[CS]E* "$target/"
  printf '%s %s\nFrom the npm package %s, version %s (%s).\nRefreshed by scripts/vendor_nlds.sh; do not edit by hand.\n' \
    "$name" "$version" "$name" "$version" "$(node -p "require('$source/package.json').license")" >"$target/VERSION.txt"
  echo "vendored $name $version into $target"
done
