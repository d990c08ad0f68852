import { runCli } from "./main.js";

// The one place that turns a result into process.exit. Waiting for stdout to drain first keeps
// large JSON output from being cut off when it is piped.
const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  interactive: process.stderr.isTTY === true,
});
process.stdout.write("", () => process.exit(code));
