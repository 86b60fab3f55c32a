import type { DigestSender } from '../trending/types.ts';
import type { Metrics } from './metrics.ts';

/** A DigestSender that counts delivered digests and failed sends in `metrics`. */
export function countedSender(sender: DigestSender, metrics: Metrics): DigestSender {
  return {
    platform: sender.platform,
    async send(destination, digest, idempotencyKey) {
      let receipt: Awaited<ReturnType<DigestSender['send']>>;
      try {
        receipt = await sender.send(destination, digest, idempotencyKey);
      } catch (error) {
        metrics.error('digest');
        throw error;
      }
      metrics.digestPosted(sender.platform);
      return receipt;
    },
    wasDelivered: (destination, idempotencyKey) => sender.wasDelivered(destination, idempotencyKey),
  };
}
