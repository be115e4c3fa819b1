/** A Node process that does nothing: what starting one costs (cold-start notes it for scale). */
process.stdout.write('0\n');
