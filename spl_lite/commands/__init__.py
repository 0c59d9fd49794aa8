"""All commands, listed in one place: COMMANDS maps every name and alias to its class."""
from .addtotals import AddtotalsCommand, UniqCommand
from .appendpipe import AppendpipeCommand
from .base import Command, Kind, Pipeline, RunContext
from .chart import ChartCommand
from .bin import BinCommand
from .convert import ConvertCommand
from .datamodel import DatamodelCommand, FromCommand
from .dedup import DedupCommand
from .eval import EvalCommand
from .eventstats import EventstatsCommand, StreamstatsCommand
from .fields import FieldsCommand
from .fieldsummary import FieldsummaryCommand
from .fillnull import FillnullCommand
from .foreach import ForeachCommand
from .jsoncommands import FromjsonCommand, TojsonCommand
from .replace import ReplaceCommand
from .head import HeadCommand, ReverseCommand, TailCommand
from .iplocation import IplocationCommand
from .knowledge import TagsCommand, TyperCommand
from .lookup import InputlookupCommand, LookupCommand, OutputlookupCommand
from .makeresults import MakeresultsCommand
from .metadata import MetadataCommand
from .fieldset import RangemapCommand, SetfieldsCommand, StrcatCommand
from .mvcommands import MakemvCommand, MvcombineCommand, MvexpandCommand, NomvCommand
from .outlier import OutlierCommand
from .reshape import MakecontinuousCommand, TransposeCommand, UntableCommand, XyseriesCommand
from .running import AccumCommand, AutoregressCommand, DeltaCommand, FilldownCommand
from .rename import RenameCommand
from .rex import RegexCommand, RexCommand
from .search import SearchCommand
from .searches import MapCommand, MultisearchCommand
from .sort import SortCommand
from .spath import SpathCommand
from .stats import StatsCommand
from .subsearch import AppendcolsCommand, AppendCommand, FormatCommand, JoinCommand, ReturnCommand
from .table import TableCommand
from .timechart import TimechartCommand
from .top import RareCommand, TopCommand
from .transaction import TransactionCommand
from .tstats import TstatsCommand
from .unsupported import NOT_YET_ALL
from .where import WhereCommand
from .xmlkv import XmlkvCommand

ALL_COMMANDS = (
    AccumCommand, AutoregressCommand, DeltaCommand, FilldownCommand, MvcombineCommand, NomvCommand, OutlierCommand,
    MakecontinuousCommand, MapCommand, MetadataCommand, MultisearchCommand, TagsCommand, TyperCommand, RangemapCommand, SetfieldsCommand, StrcatCommand, TransposeCommand, UntableCommand, XyseriesCommand,
    AddtotalsCommand, AppendCommand, AppendpipeCommand, AppendcolsCommand, BinCommand, ChartCommand, ConvertCommand, DatamodelCommand, DedupCommand, EvalCommand,
    EventstatsCommand, FieldsCommand, FieldsummaryCommand, FillnullCommand, ForeachCommand, FromCommand, FromjsonCommand, FormatCommand, HeadCommand, InputlookupCommand,
    IplocationCommand, JoinCommand, LookupCommand, MakemvCommand, MakeresultsCommand, MvexpandCommand,
    OutputlookupCommand, RareCommand, RegexCommand, RenameCommand, ReplaceCommand, ReturnCommand, ReverseCommand, RexCommand,
    SearchCommand, SortCommand, SpathCommand, StatsCommand, StreamstatsCommand, TableCommand, TailCommand,
    TimechartCommand, TojsonCommand, TopCommand, TransactionCommand, TstatsCommand, UniqCommand, WhereCommand, XmlkvCommand,
)
COMMANDS = {name: cls for cls in ALL_COMMANDS for name in (cls.name, *cls.aliases)}
NOT_YET = tuple(name for name in NOT_YET_ALL if name not in COMMANDS)

__all__ = ["ALL_COMMANDS", "COMMANDS", "NOT_YET", "Command", "Kind", "Pipeline", "RunContext"]
