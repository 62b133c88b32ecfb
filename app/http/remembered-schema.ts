import { LRUCache } from 'lru-cache'

/**
 * A form's schema built from the ids a page offers (a city's departments, its
 * methods, its fields of activity), built once per distinct lists of ids and
 * remembered: the page renders its forms on every request, and one zod schema
 * per form and render cost the desk's proposal page 1–1.6 % of the server's CPU
 * (issue 19's profile). The lists change only with a city's file, so few are
 * ever held; the oldest go past `max`. Not a server module: the forms check
 * with the same schema in the browser.
 */
export function rememberedSchema<Ids extends readonly (readonly string[])[], Schema extends object>(
  build: (...ids: Ids) => Schema,
  max = 100,
): (...ids: Ids) => Schema {
  const built = new LRUCache<string, Schema>({ max })
  return (...ids) => {
    const key = JSON.stringify(ids)
    const known = built.get(key)
    if (known) return known
    const schema = build(...ids)
    built.set(key, schema)
    return schema
  }
}
