"""All commands, listed in one place: COMMANDS maps every name and alias to its class."""
from .base import Command, Kind, Pipeline, RunContext
from .bin import BinCommand
from .convert import ConvertCommand
from .dedup import DedupCommand
from .eval import EvalCommand
from .eventstats import EventstatsCommand, StreamstatsCommand
from .fields import FieldsCommand
from .fillnull import FillnullCommand
from .head import HeadCommand, ReverseCommand, TailCommand
from .makeresults import MakeresultsCommand
from .mvcommands import MakemvCommand, MvexpandCommand
from .rename import RenameCommand
from .rex import RegexCommand, RexCommand
from .search import SearchCommand
from .sort import SortCommand
from .spath import SpathCommand
from .stats import StatsCommand
from .table import TableCommand
from .top import RareCommand, TopCommand
from .unsupported import NOT_YET
from .where import WhereCommand

ALL_COMMANDS = (
    BinCommand, ConvertCommand, DedupCommand, EvalCommand, EventstatsCommand, FieldsCommand,
    FillnullCommand, HeadCommand, MakemvCommand, MakeresultsCommand, MvexpandCommand, RareCommand,
    RegexCommand, RenameCommand, ReverseCommand, RexCommand, SearchCommand, SortCommand, SpathCommand,
    StatsCommand, StreamstatsCommand, TableCommand, TailCommand, TopCommand, WhereCommand,
)
COMMANDS = {name: cls for cls in ALL_COMMANDS for name in (cls.name, *cls.aliases)}

__all__ = ["ALL_COMMANDS", "COMMANDS", "NOT_YET", "Command", "Kind", "Pipeline", "RunContext"]
