// Real output of FRR 8.4.4 (the version installed on these machines), captured for these tests:
// a router namespace (zebra, staticd, bgpd; AS 64512, router id 10.99.0.1) with iBGP speakers
// 10.99.1.2 (worker1) and 10.99.2.2 (worker2) both announcing 10.99.100.1/32 (ECMP), worker1 also
// announcing 10.99.200.0/24 with next hop 10.99.255.1 (a static /32 makes it recursive), an eBGP
// speaker 10.99.3.2 (AS 65010) with no policy on the router side (FRR shows `(Policy)`), an
// unreachable neighbor 10.99.9.9 (Active) and a shut-down one 10.99.9.8 (Idle (Admin)).
// Neighbors output is trimmed to the blocks of 10.99.1.2 and 10.99.9.8; otherwise verbatim.

export const FRR84_SUMMARY_TEXT = `
IPv4 Unicast Summary (VRF default):
BGP router identifier 10.99.0.1, local AS number 64512 vrf-id 0
BGP table version 3
RIB entries 3, using 576 bytes of memory
Peers 5, using 3620 KiB of memory

Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc
10.99.1.2       4      64512         5         3        0    0    0 00:00:09            2        0 mbw-worker1
10.99.2.2       4      64512         4         3        0    0    0 00:00:09            1        0 mbw-worker2
10.99.3.2       4      65010         7         6        0    0    0 00:00:09     (Policy) (Policy) N/A
10.99.9.8       4      64512         0         0        0    0    0    never Idle (Admin)        0 N/A
10.99.9.9       4      64512         0         0        0    0    0    never       Active        0 N/A

Total number of neighbors 5
`;

export const FRR84_SUMMARY_JSON = `{
"ipv4Unicast":{
  "routerId":"10.99.0.1",
  "as":64512,
  "vrfId":0,
  "vrfName":"default",
  "tableVersion":3,
  "ribCount":3,
  "ribMemory":576,
  "peerCount":5,
  "peerMemory":3707320,
  "peers":{
    "10.99.1.2":{
      "hostname":"worker1",
      "remoteAs":64512,
      "localAs":64512,
      "version":4,
      "msgRcvd":5,
      "msgSent":3,
      "tableVersion":0,
      "outq":0,
      "inq":0,
      "peerUptime":"00:00:09",
      "peerUptimeMsec":9000,
      "peerUptimeEstablishedEpoch":1795617102,
      "pfxRcd":2,
      "pfxSnt":0,
      "state":"Established",
      "peerState":"OK",
      "connectionsEstablished":1,
      "connectionsDropped":0,
      "desc":"mbw-worker1",
      "idType":"ipv4"
    },
    "10.99.2.2":{
      "hostname":"worker2",
      "remoteAs":64512,
      "localAs":64512,
      "version":4,
      "msgRcvd":4,
      "msgSent":3,
      "tableVersion":0,
      "outq":0,
      "inq":0,
      "peerUptime":"00:00:09",
      "peerUptimeMsec":9000,
      "peerUptimeEstablishedEpoch":1795617102,
      "pfxRcd":1,
      "pfxSnt":0,
      "state":"Established",
      "peerState":"OK",
      "connectionsEstablished":1,
      "connectionsDropped":0,
      "desc":"mbw-worker2",
      "idType":"ipv4"
    },
    "10.99.3.2":{
      "hostname":"ext",
      "remoteAs":65010,
      "localAs":64512,
      "version":4,
      "msgRcvd":7,
      "msgSent":6,
      "tableVersion":0,
      "outq":0,
      "inq":0,
      "peerUptime":"00:00:09",
      "peerUptimeMsec":9000,
      "peerUptimeEstablishedEpoch":1795617102,
      "pfxRcd":0,
      "pfxSnt":0,
      "state":"Established",
      "peerState":"Policy",
      "connectionsEstablished":1,
      "connectionsDropped":0,
      "idType":"ipv4"
    },
    "10.99.9.8":{
      "remoteAs":64512,
      "localAs":64512,
      "version":4,
      "msgRcvd":0,
      "msgSent":0,
      "tableVersion":0,
      "outq":0,
      "inq":0,
      "peerUptime":"never",
      "peerUptimeMsec":0,
      "pfxRcd":0,
      "pfxSnt":0,
      "state":"Idle (Admin)",
      "peerState":"Admin",
      "connectionsEstablished":0,
      "connectionsDropped":0,
      "idType":"ipv4"
    },
    "10.99.9.9":{
      "remoteAs":64512,
      "localAs":64512,
      "version":4,
      "msgRcvd":0,
      "msgSent":0,
      "tableVersion":0,
      "outq":0,
      "inq":0,
      "peerUptime":"never",
      "peerUptimeMsec":0,
      "pfxRcd":0,
      "pfxSnt":0,
      "state":"Active",
      "peerState":"OK",
      "connectionsEstablished":0,
      "connectionsDropped":0,
      "idType":"ipv4"
    }
  },
  "failedPeers":2,
  "displayedPeers":5,
  "totalPeers":5,
  "dynamicPeers":0,
  "bestPath":{
    "multiPathRelax":"false"
  }
}
}
`;

export const FRR84_ROUTE_TEXT = `Codes: K - kernel route, C - connected, S - static, R - RIP,
       O - OSPF, I - IS-IS, B - BGP, E - EIGRP, N - NHRP,
       T - Table, v - VNC, V - VNC-Direct, A - Babel, F - PBR,
       f - OpenFabric,
       > - selected route, * - FIB route, q - queued, r - rejected, b - backup
       t - trapped, o - offload failure

C>* 10.99.1.0/24 is directly connected, bpv1, 00:00:12
C>* 10.99.2.0/24 is directly connected, bpv2, 00:00:12
C>* 10.99.3.0/24 is directly connected, bpv3, 00:00:12
B>* 10.99.100.1/32 [200/0] via 10.99.1.2, bpv1, weight 1, 00:00:06
  *                        via 10.99.2.2, bpv2, weight 1, 00:00:06
B>  10.99.200.0/24 [200/0] via 10.99.255.1 (recursive), weight 1, 00:00:06
  *                          via 10.99.1.2, bpv1, weight 1, 00:00:06
S>* 10.99.255.1/32 [1/0] via 10.99.1.2, bpv1, weight 1, 00:00:11
`;

export const FRR84_ROUTE_BGP_JSON = `{
  "10.99.100.1/32":[
    {
      "prefix":"10.99.100.1/32",
      "prefixLen":32,
      "protocol":"bgp",
      "vrfId":0,
      "vrfName":"default",
      "selected":true,
      "destSelected":true,
      "distance":200,
      "metric":0,
      "installed":true,
      "table":254,
      "internalStatus":16,
      "internalFlags":13,
      "internalNextHopNum":2,
      "internalNextHopActiveNum":2,
      "nexthopGroupId":20,
      "installedNexthopGroupId":20,
      "uptime":"00:00:06",
      "nexthops":[
        {
          "flags":3,
          "fib":true,
          "ip":"10.99.1.2",
          "afi":"ipv4",
          "interfaceIndex":2,
          "interfaceName":"bpv1",
          "active":true,
          "weight":1
        },
        {
          "flags":3,
          "fib":true,
          "ip":"10.99.2.2",
          "afi":"ipv4",
          "interfaceIndex":3,
          "interfaceName":"bpv2",
          "active":true,
          "weight":1
        }
      ]
    }
  ],
  "10.99.200.0/24":[
    {
      "prefix":"10.99.200.0/24",
      "prefixLen":24,
      "protocol":"bgp",
      "vrfId":0,
      "vrfName":"default",
      "selected":true,
      "destSelected":true,
      "distance":200,
      "metric":0,
      "installed":true,
      "table":254,
      "internalStatus":16,
      "internalFlags":13,
      "internalNextHopNum":2,
      "internalNextHopActiveNum":2,
      "nexthopGroupId":22,
      "installedNexthopGroupId":23,
      "uptime":"00:00:06",
      "nexthops":[
        {
          "flags":5,
          "ip":"10.99.255.1",
          "afi":"ipv4",
          "active":true,
          "recursive":true,
          "weight":1
        },
        {
          "flags":3,
          "fib":true,
          "ip":"10.99.1.2",
          "afi":"ipv4",
          "interfaceIndex":2,
          "interfaceName":"bpv1",
          "resolver":true,
          "active":true,
          "weight":1
        }
      ]
    }
  ]
}
`;

export const FRR84_NEIGHBORS_TEXT = `BGP neighbor is 10.99.1.2, remote AS 64512, local AS 64512, internal link
  Local Role: undefined
  Remote Role: undefined
 Description: mbw-worker1
Hostname: worker1
  BGP version 4, remote router ID 10.99.1.2, local router ID 10.99.0.1
  BGP state = Established, up for 00:00:10
  Last read 00:00:06, Last write 00:00:09
  Hold time is 180 seconds, keepalive interval is 60 seconds
  Configured hold time is 180 seconds, keepalive interval is 60 seconds
  Configured conditional advertisements interval is 60 seconds
  Neighbor capabilities:
    4 Byte AS: advertised and received
    Extended Message: advertised and received
    AddPath:
      IPv4 Unicast: RX advertised and received
    Long-lived Graceful Restart: advertised and received
      Address families by peer:
    Route refresh: advertised and received(old & new)
    Enhanced Route Refresh: advertised and received
    Address Family IPv4 Unicast: advertised and received
    Hostname Capability: advertised (name: bpr,domain name: n/a) received (name: worker1,domain name: n/a)
    Graceful Restart Capability: advertised and received
      Remote Restart timer is 120 seconds
      Address families by peer:
        none
  Graceful restart information:
    End-of-RIB send: IPv4 Unicast
    End-of-RIB received: IPv4 Unicast
    Local GR Mode: Helper*
    Remote GR Mode: Helper
    R bit: True
    N bit: True
    Timers:
      Configured Restart Time(sec): 120
      Received Restart Time(sec): 120
    IPv4 Unicast:
      F bit: False
      End-of-RIB sent: Yes
      End-of-RIB sent after update: Yes
      End-of-RIB received: Yes
      Timers:
        Configured Stale Path Time(sec): 360
  Message statistics:
    Inq depth is 0
    Outq depth is 0
                         Sent       Rcvd
    Opens:                  1          1
    Notifications:          0          0
    Updates:                1          3
    Keepalives:             1          1
    Route Refresh:          0          0
    Capability:             0          0
    Total:                  3          5
  Minimum time between advertisement runs is 0 seconds

 For address family: IPv4 Unicast
  Update group 1, subgroup 1
  Packet Queue length 0
  Community attribute sent to this neighbor(all)
  2 accepted prefixes

  Connections established 1; dropped 0
  Last reset 00:00:11,  Waiting for peer OPEN
  Internal BGP neighbor may be up to 255 hops away.
Local host: 10.99.1.1, Local port: 57864
Foreign host: 10.99.1.2, Foreign port: 179
Nexthop: 10.99.1.1
Nexthop global: fe80::3ce9:c2ff:feba:b5e4
Nexthop local: fe80::3ce9:c2ff:feba:b5e4
BGP connection: shared network
BGP Connect Retry Timer in Seconds: 120
Read thread: on  Write thread: on  FD used: 21
BGP neighbor is 10.99.9.8, remote AS 64512, local AS 64512, internal link
  Local Role: undefined
  Remote Role: undefined
 Administratively shut down
  BGP version 4, remote router ID 0.0.0.0, local router ID 10.99.0.1
  BGP state = Idle
  Last read 00:00:11, Last write never
  Hold time is 180 seconds, keepalive interval is 60 seconds
  Configured hold time is 180 seconds, keepalive interval is 60 seconds
  Configured conditional advertisements interval is 60 seconds
  Graceful restart information:
    Local GR Mode: Helper*
    Remote GR Mode: NotApplicable
    R bit: False
    N bit: False
    Timers:
      Configured Restart Time(sec): 120
      Received Restart Time(sec): 0
  Message statistics:
    Inq depth is 0
    Outq depth is 0
                         Sent       Rcvd
    Opens:                  0          0
    Notifications:          0          0
    Updates:                0          0
    Keepalives:             0          0
    Route Refresh:          0          0
    Capability:             0          0
    Total:                  0          0
  Minimum time between advertisement runs is 0 seconds

 For address family: IPv4 Unicast
  Not part of any update group
  Community attribute sent to this neighbor(all)
  0 accepted prefixes

  Connections established 0; dropped 0
  Last reset 00:00:11,  No AFI/SAFI activated for peer
  Internal BGP neighbor may be up to 255 hops away.
BGP Connect Retry Timer in Seconds: 120
Read thread: off  Write thread: off  FD used: -1
`;

export const FRR84_NEIGHBORS_JSON = `{
  "10.99.1.2": {
    "remoteAs": 64512,
    "localAs": 64512,
    "nbrInternalLink": true,
    "localRole": "undefined",
    "remoteRole": "undefined",
    "nbrDesc": "mbw-worker1",
    "hostname": "worker1",
    "bgpVersion": 4,
    "remoteRouterId": "10.99.1.2",
    "localRouterId": "10.99.0.1",
    "bgpState": "Established",
    "bgpTimerUpMsec": 10000,
    "bgpTimerUpString": "00:00:10",
    "bgpTimerUpEstablishedEpoch": 1795617101,
    "bgpTimerLastRead": 6000,
    "bgpTimerLastWrite": 9000,
    "bgpInUpdateElapsedTimeMsecs": 6000,
    "bgpTimerConfiguredHoldTimeMsecs": 180000,
    "bgpTimerConfiguredKeepAliveIntervalMsecs": 60000,
    "bgpTimerHoldTimeMsecs": 180000,
    "bgpTimerKeepAliveIntervalMsecs": 60000,
    "extendedOptionalParametersLength": false,
    "bgpTimerConfiguredConditionalAdvertisementsSec": 60,
    "neighborCapabilities": {
      "4byteAs": "advertisedAndReceived",
      "extendedMessage": "advertisedAndReceived",
      "addPath": {
        "ipv4Unicast": {
          "rxAdvertisedAndReceived": true
        }
      },
      "longLivedGracefulRestart": "advertisedAndReceived",
      "longLivedGracefulRestartByPeer": {},
      "routeRefresh": "advertisedAndReceivedOldNew",
      "enhancedRouteRefresh": "advertisedAndReceived",
      "multiprotocolExtensions": {
        "ipv4Unicast": {
          "advertisedAndReceived": true
        }
      },
      "hostName": {
        "advHostName": "bpr",
        "advDomainName": "n/a",
        "rcvHostName": "worker1",
        "rcvDomainName": "n/a"
      },
      "gracefulRestart": "advertisedAndReceived",
      "gracefulRestartRemoteTimerMsecs": 120000,
      "addressFamiliesByPeer": "none"
    },
    "gracefulRestartInfo": {
      "endOfRibSend": {
        "ipv4Unicast": true
      },
      "endOfRibRecv": {
        "ipv4Unicast": true
      },
      "localGrMode": "Helper*",
      "remoteGrMode": "Helper",
      "rBit": true,
      "nBit": true,
      "timers": {
        "configuredRestartTimer": 120,
        "receivedRestartTimer": 120
      },
      "ipv4Unicast": {
        "fBit": false,
        "endOfRibStatus": {
          "endOfRibSend": true,
          "endOfRibSentAfterUpdate": true,
          "endOfRibRecv": true
        },
        "timers": {
          "stalePathTimer": 360
        }
      }
    },
    "messageStats": {
      "depthInq": 0,
      "depthOutq": 0,
      "opensSent": 1,
      "opensRecv": 1,
      "notificationsSent": 0,
      "notificationsRecv": 0,
      "updatesSent": 1,
      "updatesRecv": 3,
      "keepalivesSent": 1,
      "keepalivesRecv": 1,
      "routeRefreshSent": 0,
      "routeRefreshRecv": 0,
      "capabilitySent": 0,
      "capabilityRecv": 0,
      "totalSent": 3,
      "totalRecv": 5
    },
    "minBtwnAdvertisementRunsTimerMsecs": 0,
    "addressFamilyInfo": {
      "ipv4Unicast": {
        "updateGroupId": 1,
        "subGroupId": 1,
        "packetQueueLength": 0,
        "commAttriSentToNbr": "extendedAndStandard",
        "acceptedPrefixCounter": 2,
        "sentPrefixCounter": 0
      }
    },
    "connectionsEstablished": 1,
    "connectionsDropped": 0,
    "lastResetTimerMsecs": 11000,
    "lastResetDueTo": "Waiting for peer OPEN",
    "lastResetCode": 32,
    "internalBgpNbrMaxHopsAway": 255,
    "hostLocal": "10.99.1.1",
    "portLocal": 57864,
    "hostForeign": "10.99.1.2",
    "portForeign": 179,
    "nexthop": "10.99.1.1",
    "nexthopGlobal": "fe80::3ce9:c2ff:feba:b5e4",
    "nexthopLocal": "fe80::3ce9:c2ff:feba:b5e4",
    "bgpConnection": "sharedNetwork",
    "connectRetryTimer": 120,
    "readThread": "on",
    "writeThread": "on"
  },
  "10.99.9.8": {
    "remoteAs": 64512,
    "localAs": 64512,
    "nbrInternalLink": true,
    "localRole": "undefined",
    "remoteRole": "undefined",
    "adminShutDown": true,
    "bgpVersion": 4,
    "remoteRouterId": "0.0.0.0",
    "localRouterId": "10.99.0.1",
    "bgpState": "Idle",
    "bgpTimerLastRead": 11000,
    "bgpTimerLastWrite": 799000,
    "bgpInUpdateElapsedTimeMsecs": 799000,
    "bgpTimerConfiguredHoldTimeMsecs": 180000,
    "bgpTimerConfiguredKeepAliveIntervalMsecs": 60000,
    "bgpTimerHoldTimeMsecs": 180000,
    "bgpTimerKeepAliveIntervalMsecs": 60000,
    "extendedOptionalParametersLength": false,
    "bgpTimerConfiguredConditionalAdvertisementsSec": 60,
    "gracefulRestartInfo": {
      "endOfRibSend": {},
      "endOfRibRecv": {},
      "localGrMode": "Helper*",
      "remoteGrMode": "NotApplicable",
      "rBit": false,
      "nBit": false,
      "timers": {
        "configuredRestartTimer": 120,
        "receivedRestartTimer": 0
      }
    },
    "messageStats": {
      "depthInq": 0,
      "depthOutq": 0,
      "opensSent": 0,
      "opensRecv": 0,
      "notificationsSent": 0,
      "notificationsRecv": 0,
      "updatesSent": 0,
      "updatesRecv": 0,
      "keepalivesSent": 0,
      "keepalivesRecv": 0,
      "routeRefreshSent": 0,
      "routeRefreshRecv": 0,
      "capabilitySent": 0,
      "capabilityRecv": 0,
      "totalSent": 0,
      "totalRecv": 0
    },
    "minBtwnAdvertisementRunsTimerMsecs": 0,
    "addressFamilyInfo": {
      "ipv4Unicast": {
        "commAttriSentToNbr": "extendedAndStandard",
        "acceptedPrefixCounter": 0
      }
    },
    "connectionsEstablished": 0,
    "connectionsDropped": 0,
    "lastResetTimerMsecs": 11000,
    "lastResetDueTo": "No AFI/SAFI activated for peer",
    "lastResetCode": 30,
    "internalBgpNbrMaxHopsAway": 255,
    "hostLocal": "Unknown",
    "portLocal": -1,
    "hostForeign": "Unknown",
    "portForeign": -1,
    "connectRetryTimer": 120,
    "readThread": "off",
    "writeThread": "off"
  }
}`;

// Same router a little later, with an IPv6 neighbor added (its description is too long for FRR to print).
export const FRR84_SUMMARY_IPV6_TEXT = `
IPv4 Unicast Summary (VRF default):
BGP router identifier 10.99.0.1, local AS number 64512 vrf-id 0
BGP table version 3
RIB entries 3, using 576 bytes of memory
Peers 6, using 4345 KiB of memory

Neighbor               V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc
10.99.1.2              4      64512         5         3        0    0    0 00:00:31            2        0 mbw-worker1
10.99.2.2              4      64512         4         3        0    0    0 00:00:31            1        0 mbw-worker2
10.99.3.2              4      65010        14        13        0    0    0 00:00:31     (Policy) (Policy) N/A
10.99.9.8              4      64512         0         0        0    0    0    never Idle (Admin)        0 N/A
10.99.9.9              4      64512         0         0        0    0    0    never       Active        0 N/A
2001:db8:ffff:ffff::99 4      64512         0         0        0    0    0    never       Active        0 

Total number of neighbors 6
`;
