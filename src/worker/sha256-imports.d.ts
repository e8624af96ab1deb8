/** `import sha256 from 'FILE?sha256'`: FILE's SHA-256 at build time (vite.config.ts, sha256Imports). */
declare module '*?sha256' {
  const sha256: string;
  export default sha256;
}
