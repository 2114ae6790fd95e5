import { z } from 'zod';
import { errorBody, js } from './schemas.js';

const ERR = js(errorBody);

/** A route's OpenAPI schema from zod parts: request parts validate (ajv), responses serialize and document. */
export function routeSchema(o: {
  tags: string[];
  summary: string;
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  response: z.ZodType;
  status?: number;
  isPublic?: boolean;
}): Record<string, unknown> {
  return {
    tags: o.tags,
    summary: o.summary,
    ...(o.isPublic ? {} : { security: [{ bearerAuth: [] }] }),
    ...(o.body ? { body: js(o.body, 'input') } : {}),
    ...(o.query ? { querystring: js(o.query, 'input') } : {}),
    ...(o.params ? { params: js(o.params, 'input') } : {}),
    response: { [o.status ?? 200]: js(o.response), '4xx': ERR },
  };
}

export { z };
