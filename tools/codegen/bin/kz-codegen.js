#!/usr/bin/env node
// The CLI lives in dist/ (built); this committed shim lets npm link the bin before the first build.
import '../dist/cli.js';
