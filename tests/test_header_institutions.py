"""The report header of a project run by a university or a research institute (r28 family): the
institution named on the cover line under the title has no region before it. Text of our own."""
from __future__ import annotations

from conftest import snippet_view
from extractors.facts.header import view_to_header


def test_a_university_on_the_cover_line_under_the_title_is_the_unit():
    text = ("“城市内涝智能预警模型研究”\n课题绩效自评报告\n西岭理工大学\n项目类别：市科技计划\n"
            "一、课题基本情况\n本课题由西岭理工大学承担，市科学技术局于2022年立项，市科学技术局组织验收。"
            "市科学技术局下达经费120万元。")
    assert view_to_header(snippet_view(text, ()))[0]["unit"] == "西岭理工大学"
