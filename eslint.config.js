import js from "@eslint/js";
import jsxA11y from "eslint-plugin-jsx-a11y";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// One lint for the whole tree. Formatting is Prettier's (`npm run format`), so no stylistic rule here.
export default tseslint.config(
  { ignores: ["build/", "build-*/", "public/build/", ".data/", "e2e/.*/", "node_modules/", ".cache/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": "off",
      eqeqeq: ["error", "always", { null: "ignore" }],
      // Prettier wraps code at 120 but leaves strings, comments and class lists whole: they are
      // kept to the same width by hand (a link may run over, it cannot be broken).
      // Prettier wraps code at 120; this catches what it cannot (comments, JSX text). A string or
      // template literal may run longer: a test title or an SQL line reads better whole than cut.
      "max-len": ["error", { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true }],
    },
  },
  {
    // Written by db/gate/write-expectation.ts from a live schema, not by hand.
    files: ["db/gate/schema-expectation.ts"],
    rules: { "max-len": "off" },
  },
  {
    // Frozen migrations and the helpers that read any table take `Kysely<any>`, as Kysely advises:
    // a migration must not change meaning when the schema types move on.
    files: ["db/migrations/**", "db/test/fingerprint.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["app/**/*.tsx"],
    ...react.configs.flat.recommended,
    ...react.configs.flat["jsx-runtime"],
    settings: { react: { version: "18.3" } },
  },
  {
    files: ["app/**/*.tsx"],
    plugins: { "react-hooks": reactHooks, "jsx-a11y": jsxA11y },
    rules: {
      // The two classic hook rules; the React Compiler's rules (set-state-in-effect and the rest)
      // describe code the compiler can optimise, and this app is not compiled by it.
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      ...jsxA11y.flatConfigs.recommended.rules,
      "react/prop-types": "off",
    },
  },
);
