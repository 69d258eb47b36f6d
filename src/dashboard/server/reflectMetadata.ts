// @peculiar/x509 registers its algorithms through tsyringe, which insists on the Reflect
// metadata API (normally the reflect-metadata package) when it loads. It uses only these three
// functions, with no design-time metadata (x509 is built without emitDecoratorMetadata), so this
// module supplies them when they are missing. Import it before '@peculiar/x509'.
type MetadataTable = Map<unknown, unknown>;
const tables = new WeakMap<object, Map<PropertyKey | undefined, MetadataTable>>();

function table(target: object, property: PropertyKey | undefined, create: boolean): MetadataTable | undefined {
  let byProperty = tables.get(target);
  if (!byProperty) {
    if (!create) return undefined;
    tables.set(target, (byProperty = new Map()));
  }
  let entries = byProperty.get(property);
  if (!entries && create) byProperty.set(property, (entries = new Map()));
  return entries;
}

interface ReflectMetadata {
  defineMetadata(key: unknown, value: unknown, target: object, property?: PropertyKey): void;
  getOwnMetadata(key: unknown, target: object, property?: PropertyKey): unknown;
  getMetadata(key: unknown, target: object, property?: PropertyKey): unknown;
}

const reflect = Reflect as typeof Reflect & Partial<ReflectMetadata>;
if (typeof reflect.getMetadata !== 'function') {
  reflect.defineMetadata = (key, value, target, property) => void table(target, property, true)!.set(key, value);
  reflect.getOwnMetadata = (key, target, property) => table(target, property, false)?.get(key);
  reflect.getMetadata = (key, target, property) => {
    for (let o: object | null = target; o !== null; o = Object.getPrototypeOf(o) as object | null) {
      const entries = table(o, property, false);
      if (entries?.has(key)) return entries.get(key);
    }
    return undefined;
  };
}
