#!/usr/bin/env node
// Development entry: runs the TypeScript sources directly (Node >= 24 strips the types).
// The shipped product is the single binary dist/cairn built by `npm run build`.
import '../src/main.ts'
