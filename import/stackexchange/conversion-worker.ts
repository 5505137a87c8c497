// Runs in a worker thread: turns a batch of post and comment bodies into what the import stores.
import { parentPort } from 'node:worker_threads';
import { renderMarkdown } from '../../app/utils/markdown.server';
import { htmlToMarkdown } from './html-to-markdown';
import type { ConversionReply, ConversionRequest } from './conversions';

parentPort?.on('message', (request: ConversionRequest) => {
  // One body that cannot be converted costs only its own row, as it did on the main thread.
  const converted = request.bodies.map((body) => {
    try {
      const markdown = request.from === 'html' ? htmlToMarkdown(body) : body;
      return { markdown, html: renderMarkdown(markdown).html };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  });
  parentPort?.postMessage({ id: request.id, converted } satisfies ConversionReply);
});
