// What MetalLB's speakers would do, derived from the emulated cluster's state by the Kubernetes
// emulator (lab/kube) and consumed by a routing backend (lab/memory, lab/netns).

export interface SpeakerPeer {
  /** The router address the speaker dials (BGPPeer.peerAddress / ConfigMap peer-address). */
  peerAddress: string;
  peerAsn: number;
  myAsn: number;
  peerPort?: number;
  holdTimeSeconds?: number;
  keepaliveSeconds?: number;
  /** MD5 password from the passwordSecret, when set. */
  password?: string;
}

export interface NodeSpeaker {
  node: string;
  /** The node's InternalIP: the source address of its BGP session. */
  address: string;
  /** Empty when MetalLB is not installed, the speaker is not Ready, or no peer selects this node. */
  peers: SpeakerPeer[];
  /** /32 prefixes this node announces (LoadBalancer IPs it may serve). */
  announcements: string[];
}

export interface ServiceAnnouncement {
  namespace: string;
  name: string;
  ip: string;
  /** Nodes announcing this IP (all speakers, or only those with a ready endpoint under Local policy). */
  nodes: string[];
}

export interface ClusterBgpView {
  speakers: NodeSpeaker[];
  services: ServiceAnnouncement[];
}
