/**
 * Lets a plain `node` child process run the TypeScript sources, the way the e2e suites see
 * them: `node -r ./test/support/register-typescript.cjs test/support/app-process-main.ts`.
 * Compiles with the project's .swcrc settings (the same transform @swc/jest uses).
 */
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    swcrc: false,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
