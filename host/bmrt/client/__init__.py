"""Client side of Kenning's inference protocol (G1-G4): codecs, transports, requests."""
from bmrt.client.client import (ClientError, InferenceClient, ProtocolError, ReplyTimeout,
                                RequestFailed)
from bmrt.client.io_spec import IoSpec, IoSpecError, TensorSpec
from bmrt.client.stats import Stat, StatType, parse_stats
from bmrt.client.transport import SerialTransport, SocketTransport, open_transport
from bmrt.client.wire import Flag, Flow, Frame, FrameDecoder, Generation, Kind

__all__ = [
    "ClientError", "InferenceClient", "ProtocolError", "ReplyTimeout", "RequestFailed", "IoSpec",
    "IoSpecError", "TensorSpec", "Stat", "StatType", "parse_stats", "SerialTransport",
    "SocketTransport", "open_transport", "Flag", "Flow", "Frame", "FrameDecoder", "Generation", "Kind",
]
