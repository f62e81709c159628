// eslint: run by `npm run lint` (and so by CI). Lean on purpose: prettier owns the layout, tsc the types,
// knip the dead files and exports; eslint adds what they cannot see: a function too long to read
// (the house limit, 120 lines without blanks and comments) and a few rules that catch real mistakes.
// No stylistic rule: none here fights prettier, so eslint-config-prettier is not needed.
import tseslint from 'typescript-eslint';
import { builtinRules } from 'eslint/use-at-your-own-risk';

const maxLines = builtinRules.get('max-lines-per-function');

// A describe callback is a list of `it` blocks, not a function a reader follows, so its length is not
// counted; every other function is, `it` callbacks included. The wrapped rule is eslint's own.
const isDescribeCallback = (node) => {
  if (node.parent?.type !== 'CallExpression' || !node.parent.arguments.includes(node)) return false;
  let callee = node.parent.callee; // describe(…), describe.skipIf(x)(…), describe.each(xs)(…)
  while (callee.type === 'CallExpression' || callee.type === 'MemberExpression') callee = callee.type === 'CallExpression' ? callee.callee : callee.object;
  return callee.type === 'Identifier' && callee.name === 'describe';
};
const house = {
  rules: {
    'max-lines-per-function': {
      meta: { ...maxLines.meta, docs: { description: "eslint's max-lines-per-function, not counting describe callbacks" } },
      create(context) {
        const report = (descriptor) => {
          if (!isDescribeCallback(descriptor.node)) context.report(descriptor);
        };
        return maxLines.create(Object.create(context, { report: { value: report } }));
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'fixtures/**', 'api/**', 'bench/results/**'] },
  {
    files: ['packages/*/src/**/*.ts', 'packages/*/scripts/**/*.{ts,mjs}', 'test/**/*.ts', 'scripts/**/*.mjs', 'bench/**/*.mjs'],
    extends: [tseslint.configs.base],
    plugins: { house },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'house/max-lines-per-function': ['error', { max: 120, skipBlankLines: true, skipComments: true }],
      // Correctness: each of these has caught a real mistake somewhere; the code passes them all.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      'no-constant-binary-expression': 'error',
      'no-self-compare': 'error',
      'no-self-assign': 'error',
      'no-dupe-keys': 'error',
      'no-duplicate-case': 'error',
      'no-dupe-else-if': 'error',
      'no-fallthrough': 'error',
      'no-unreachable': 'error',
      'no-unsafe-finally': 'error',
      'no-unsafe-optional-chaining': 'error',
      'no-async-promise-executor': 'error',
      'no-cond-assign': 'error',
      'use-isnan': 'error',
      'valid-typeof': 'error',
      'no-sparse-arrays': 'error',
      'no-loss-of-precision': 'error',
    },
  },
);
