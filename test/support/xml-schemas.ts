import fs from 'node:fs';
import path from 'node:path';
import { RelaxNGValidator, XmlDocument, XmlValidateError, XsdValidator } from 'libxml2-wasm';

const schemas = path.resolve(import.meta.dirname, '../fixtures/schemas');

function load(file: string): XmlDocument {
  return XmlDocument.fromString(fs.readFileSync(path.join(schemas, file), 'utf8'));
}

/** The sitemaps.org protocol (urlset and sitemapindex) and Atom 1.0, written from their texts. */
const validators = {
  sitemap: XsdValidator.fromDoc(load('sitemap.xsd')),
  atom: RelaxNGValidator.fromDoc(load('atom.rng')),
};

/**
 * What is wrong with this document under a schema: [] when it is well-formed and valid. A
 * document that is not even well-formed XML fails with the parser's message.
 */
export function schemaErrors(xml: string, schema: keyof typeof validators): string[] {
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromString(xml);
  } catch (error) {
    return [`not well-formed: ${error instanceof Error ? error.message : String(error)}`];
  }
  try {
    validators[schema].validate(doc);
    return [];
  } catch (error) {
    if (error instanceof XmlValidateError)
      return error.details.map((detail) => `line ${detail.line}: ${detail.message.trim()}`);
    throw error;
  } finally {
    doc.dispose();
  }
}

/** A parsed document for reading values with XPath; dispose() it after. */
export function parseXml(xml: string): XmlDocument {
  return XmlDocument.fromString(xml);
}
