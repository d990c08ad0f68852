import { AssignerProtocol, type PartitionAssigner } from "kafkajs";

/**
 * Gives partition number p of *every* subscribed topic to the same member, so a request's
 * baseline record (baseline topic, partition p) and its candidate record (candidate topic,
 * partition p, same key) are joined by one process. Requires the topics to have the same
 * partition count and the producers to key by the same field (replay keys by session).
 * kafkajs ships only a round-robin assigner, which spreads each topic independently.
 */
export const coPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: "ShadowdiffCoPartitioned",
  version: 1,
  protocol: ({ topics }) => ({
    name: "ShadowdiffCoPartitioned",
    metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
  }),
  async assign({ members, topics }) {
    const memberIds = members.map((member) => member.memberId).sort();
    const assignments = new Map<string, Record<string, number[]>>(memberIds.map((id) => [id, {}]));
    for (const topic of topics) {
      const partitions = cluster
        .findTopicPartitionMetadata(topic)
        .map((metadata) => metadata.partitionId)
        .sort((a, b) => a - b);
      for (const partition of partitions) {
        const member = memberIds[partition % memberIds.length] as string;
        const assignment = assignments.get(member) as Record<string, number[]>;
        const list = assignment[topic] ?? [];
        list.push(partition);
        assignment[topic] = list;
      }
    }
    return memberIds.map((memberId) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: 1,
        assignment: assignments.get(memberId) ?? {},
        userData: Buffer.alloc(0),
      }),
    }));
  },
});
