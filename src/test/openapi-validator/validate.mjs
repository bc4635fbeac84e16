// Validates an OpenAPI document with swagger-parser: the official JSON schema of its OpenAPI version (3.0 or 3.1)
// plus the checks a schema cannot express (unique operationIds, declared path parameters, resolvable $refs).
// Usage: node validate.mjs FILE; exit 0 and "valid: ..." when it is valid, exit 1 and the reasons when it is not.
import SwaggerParser from "@apidevtools/swagger-parser";

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate.mjs openapi.json");
  process.exit(2);
}
try {
  const api = await SwaggerParser.validate(file);
  console.log(`valid: ${file}: OpenAPI ${api.openapi}, ${Object.keys(api.paths ?? {}).length} paths`);
} catch (e) {
  console.error(`invalid: ${file}: ${e.message}`);
  process.exit(1);
}
