import dns2 from 'dns2';

const { Packet } = dns2;

/**
 * A real DNS server on 127.0.0.1 (random UDP port unless one is given) for tests and the e2e run: answers TXT queries
 * from `records`, NXDOMAIN for names it does not know. Not used by the server itself.
 */
export async function startTestDnsServer(port = 0): Promise<{ address: string; records: Map<string, string[]>; close(): Promise<void> }> {
  const records = new Map<string, string[]>();
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const [question] = request.questions;
      const values = question ? records.get(question.name.toLowerCase()) : undefined;
      if (!question || !values) {
        response.header.rcode = Packet.RCODE.NXDOMAIN;
        send(response);
        return;
      }
      if (question.type === Packet.TYPE.TXT) {
        for (const value of values) response.answers.push({ name: question.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 1, data: value } as unknown as dns2.Packet.Resource);
      }
      send(response);
    },
  });
  const addresses = await server.listen({ udp: { port, address: '127.0.0.1' } });
  const bound = (addresses as { udp?: { port: number } }).udp?.port;
  if (!bound) throw new Error('the test DNS server did not start');
  return { address: `127.0.0.1:${bound}`, records, close: async () => void (await server.close()) };
}
