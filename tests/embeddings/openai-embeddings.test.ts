import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenAIEmbeddings } from '../../src/embeddings/openai-embeddings.ts';
import type { PaperEmbeddings } from '../../src/embeddings/types.ts';
import { errorBody, FakeOpenAIServer, fakeVector } from '../fakes/fake-openai-server.ts';

let server: FakeOpenAIServer;

beforeEach(async () => {
  server = await FakeOpenAIServer.start();
});
afterEach(async () => {
  await server.close();
});

function embeddings(
  options: Partial<ConstructorParameters<typeof OpenAIEmbeddings>[0]> = {},
): OpenAIEmbeddings {
  return new OpenAIEmbeddings({
    apiKey: 'k',
    baseURL: server.baseURL,
    model: 'test-embed',
    timeoutMs: 5_000,
    ...options,
  });
}

describe('OpenAIEmbeddings', () => {
  it('embeds in batches of batchSize and returns vectors in input order', async () => {
    const texts = Array.from({ length: 250 }, (_, index) => `abstract number ${index}`);
    const vectors = await embeddings({ batchSize: 100 }).embedDocuments(texts);

    expect(
      server
        .embeddingRequests()
        .map((request) => request.body.input.length)
        .sort(),
    ).toEqual([100, 100, 50]);
    expect(server.embeddingRequests().every((request) => request.body.encoding_format === 'float')).toBe(
      true,
    );
    expect(vectors).toHaveLength(250);
    expect(vectors[0]).toEqual(fakeVector('abstract number 0', 8));
    expect(vectors[249]).toEqual(fakeVector('abstract number 249', 8));
  });

  it('orders vectors by the index the server gives, not by arrival', async () => {
    server.onEmbeddings((request) => ({
      body: {
        object: 'list',
        model: 'test-embed',
        data: (request.body.input as string[])
          .map((input, index) => ({ object: 'embedding', index, embedding: fakeVector(input, 4) }))
          .reverse(),
      },
    }));
    const vectors = await embeddings().embedDocuments(['a', 'b', 'c']);

    expect(vectors).toEqual([fakeVector('a', 4), fakeVector('b', 4), fakeVector('c', 4)]);
  });

  it('knows the dimensions of OpenAI models before any request, and names itself', () => {
    const small: PaperEmbeddings = embeddings({ model: 'text-embedding-3-small' });
    expect(small.modelId).toBe('openai:text-embedding-3-small');
    expect(small.dimensions).toBe(1536);
    expect(embeddings({ model: 'text-embedding-3-large' }).dimensions).toBe(3072);
    expect(server.requests).toHaveLength(0);
  });

  it('asks text-embedding-3 models for shortened vectors when dimensions is set', async () => {
    const shortened = embeddings({ model: 'text-embedding-3-small', dimensions: 256 });
    const vector = await shortened.embedQuery('layers');

    expect(server.embeddingRequests()[0]!.body.dimensions).toBe(256);
    expect(vector).toHaveLength(256);
    expect(shortened.dimensions).toBe(256);
  });

  it('learns the dimensions of an unknown model from its first response', async () => {
    server.embeddingDimensions = 12;
    const local = embeddings({ model: 'nomic-embed-text' });

    expect(() => local.dimensions).toThrow(
      expect.objectContaining({ code: 'EMBEDDINGS_DIMENSIONS_UNKNOWN' }),
    );
    expect(await local.ensureDimensions()).toBe(12);
    expect(local.dimensions).toBe(12);
    expect(server.embeddingRequests()[0]!.body).not.toHaveProperty('dimensions');
  });

  it('fails clearly when the server returns vectors of another length than expected', async () => {
    server.embeddingDimensions = 7;
    await expect(embeddings({ model: 'text-embedding-3-small' }).embedQuery('x')).rejects.toMatchObject({
      code: 'EMBEDDINGS_DIMENSIONS_MISMATCH',
      message: expect.stringContaining('length 7, expected 1536'),
    });
  });

  it('wraps server errors with a message saying how to fix them', async () => {
    server.onEmbeddings(() => ({ status: 500, body: errorBody('down') }));
    await expect(embeddings({ maxRetries: 0 }).embedQuery('x')).rejects.toMatchObject({
      code: 'EMBEDDINGS_FAILED',
      message: expect.stringContaining('PAPERBOT_EMBEDDINGS=local'),
    });
  });

  it('times out a request that never answers', async () => {
    server.onEmbeddings(() => ({ hang: true }));
    await expect(embeddings({ timeoutMs: 150, maxRetries: 0 }).embedQuery('x')).rejects.toMatchObject({
      code: 'EMBEDDINGS_FAILED',
      message: expect.stringContaining('timeout after 150 ms'),
    });
  });

  it('sends a space for an empty text, which the API would reject', async () => {
    await embeddings().embedDocuments(['', 'text']);
    expect(server.embeddingRequests()[0]!.body.input).toEqual([' ', 'text']);
  });
});
