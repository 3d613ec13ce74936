import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "**/*.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["src/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": ["error", { "ts-expect-error": "allow-with-description" }],
      // The library never prints: it logs through the Logger port. Only the CLI writes to the console.
      "no-console": "error",
      // The library never reads the environment; examples and the CLI do.
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Pass settings in; only src/cli reads process.env." },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      // Small files (developer guide): one responsibility per module, readable in one sitting.
      "max-lines": ["error", { max: 300 }],
    },
  },
  {
    files: ["src/cli/**/*.ts"],
    rules: { "no-console": "off", "no-restricted-properties": "off" },
  },
  {
    files: ["test/**/*.ts", "scripts/**/*", "examples/**/*"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
    rules: { "@typescript-eslint/no-non-null-assertion": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
