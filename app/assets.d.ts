// The classic compiler turns `import href from "./x.css?url"` into the built file's URL.
declare module "*.css?url" {
  const href: string;
  export default href;
}
