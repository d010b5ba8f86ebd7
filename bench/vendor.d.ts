// Packages used only by the benchmarks that ship no type declarations.
declare module 'oidc-provider';
declare module 'autocannon' {
  namespace autocannon {
    interface Result {
      requests: { average: number; total: number };
      latency: { p50: number; p99: number };
      non2xx: number;
      errors: number;
      timeouts: number;
    }
  }
  function autocannon(options: Record<string, unknown>): Promise<autocannon.Result>;
  export default autocannon;
}
